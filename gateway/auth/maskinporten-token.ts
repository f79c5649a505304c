// Verifies a Maskinporten access token: signature against Maskinporten's JWKS, issuer, expiry, the required
// scope, and the consumer organisation (FIKS-FACTS §2: "check iss, check the signature against the JWKS, and
// check the expected scope").
import { jwtVerify } from 'jose';
import { invalidAccessToken } from './auth-error.ts';
import { consumerOrgnr } from './idporten-token.ts';
import type { IssuerKeys } from './issuer-keys.ts';

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
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, await options.keys.keys(), {
      issuer: options.keys.issuer,
      algorithms: ['RS256', 'RS384', 'RS512'],
      requiredClaims: ['exp', 'iat'],
      clockTolerance: 10,
      currentDate: options.now ? new Date(options.now()) : undefined,
    }));
  } catch (error) {
    throw invalidAccessToken(error);
  }
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
