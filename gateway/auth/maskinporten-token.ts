// Verifies a Maskinporten access token: signature against Maskinporten's JWKS, issuer, expiry, the required
// scope, and the consumer organisation (FIKS-FACTS §2: "check iss, check the signature against the JWKS, and
// check the expected scope").
import { invalidAccessToken } from './auth-error.ts';
import { consumerOrgnr } from './idporten-token.ts';
import { verifyIssuedToken, type IssuerKeys } from './issuer-keys.ts';

export interface MaskinportenTokenClaims {
  consumerOrgnr: string;
  clientId: string;
  jti: string | undefined;
  /** When the token expires (ms since epoch). */
  expiresAt: number;
}

export interface MaskinportenTokenOptions {
  keys: IssuerKeys;
  scope: string;
  now?: () => number;
}

export async function verifyMaskinportenToken(
  token: string,
  options: MaskinportenTokenOptions,
): Promise<MaskinportenTokenClaims> {
  // Maskinporten tokens carry `aud` only when a resource was asked for; the scope is what binds them to Fiks.
  const payload = await verifyIssuedToken(token, options.keys, { now: options.now });
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
  const orgnr = consumerOrgnr(payload.consumer);
  if (!scopes.includes(options.scope) || !orgnr || typeof payload.client_id !== 'string')
    throw invalidAccessToken();
  return {
    consumerOrgnr: orgnr,
    clientId: payload.client_id,
    jti: typeof payload.jti === 'string' ? payload.jti : undefined,
    expiresAt: (payload.exp as number) * 1000,
  };
}
