// Verifies an ID-porten access token (JWT) presented as a Bearer token: signature against ID-porten's JWKS,
// issuer, audience, expiry with a small leeway, and the level of assurance (FIKS-FACTS §3).
import { acrAtLeast, isAcr, type Acr } from '../../common/acr.ts';
import { isValidOrgnr } from '../../common/identifiers.ts';
import { AuthError, invalidAccessToken } from './auth-error.ts';
import { verifyIssuedToken, type IssuerKeys } from './issuer-keys.ts';

export interface IdportenTokenClaims {
  pid: string;
  acr: Acr;
  jti: string | undefined;
  /** The organisation of the client the token was issued to (`consumer`), when present. */
  consumerOrgnr: string | undefined;
  /** When the token expires (ms since epoch). */
  expiresAt: number;
}

export interface IdportenTokenOptions {
  keys: IssuerKeys;
  audience: string;
  acrMinimum: Acr;
  now?: () => number;
}

export async function verifyIdportenToken(
  token: string,
  options: IdportenTokenOptions,
): Promise<IdportenTokenClaims> {
  const payload = await verifyIssuedToken(token, options.keys, {
    // RFC 9068 §4: the resource server MUST validate that the aud claim contains its own identifier.
    audience: options.audience,
    now: options.now,
  });
  // DIGDIR oidc_protocol_id_token: the client MUST validate acr.
  if (typeof payload.pid !== 'string' || !isAcr(payload.acr)) throw invalidAccessToken();
  if (!acrAtLeast(payload.acr, options.acrMinimum)) {
    throw new AuthError(
      401,
      'UNAUTHENTICATED',
      'Innloggingen har for lavt sikkerhetsnivå',
      { requiredAcr: options.acrMinimum },
      { reason: 'acr_too_low' },
    );
  }
  return {
    pid: payload.pid,
    acr: payload.acr,
    jti: typeof payload.jti === 'string' ? payload.jti : undefined,
    consumerOrgnr: consumerOrgnr(payload.consumer),
    expiresAt: (payload.exp as number) * 1000,
  };
}

/** The org number in an ISO 6523 `consumer` claim ("0192:<orgnr>"; FIKS-FACTS §2: parse leniently). */
export function consumerOrgnr(consumer: unknown): string | undefined {
  if (typeof consumer !== 'object' || consumer === null) return undefined;
  const { authority, ID } = consumer as { authority?: unknown; ID?: unknown };
  if (authority !== 'iso6523-actorid-upis' || typeof ID !== 'string') return undefined;
  const parts = ID.split(':');
  if (parts[0] !== '0192' || parts.length < 2 || parts.length > 4) return undefined;
  const orgnr = parts[1]!;
  return isValidOrgnr(orgnr) ? orgnr : undefined;
}
