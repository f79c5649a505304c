// Who is calling this subgraph, and for which request: the principal and request id in the gateway's caller
// token, verified here. A request without a valid token for this subgraph is refused before GraphQL runs. Every
// call carries a fresh token (its request id is signed into it), so verified tokens are not remembered: a cache
// keyed by the token would never be hit, and no cheaper key can stand for a signature not yet checked.
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWK } from 'jose';
import {
  CALLER_TOKEN_ALG,
  CALLER_TOKEN_ISSUER,
  CALLER_TOKEN_TYPE,
  callerFromClaims,
  callerTokenAudience,
  type VerifiedCaller,
} from '../../access/caller-token.ts';

export type CallerKeys = { jwks: { keys: JWK[] } } | { jwksUrl: string };

export interface CallerVerifier {
  /** The caller of a valid token, or null for anything else (missing, forged, expired, other audience, no
   * request id). */
  verify(authorization: string | undefined): Promise<VerifiedCaller | null>;
}

export function createCallerVerifier(
  subgraph: string,
  keys: CallerKeys,
  now: () => number = Date.now,
): CallerVerifier {
  const keySet =
    'jwks' in keys
      ? createLocalJWKSet(keys.jwks)
      : createRemoteJWKSet(new URL(keys.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 });
  const audience = callerTokenAudience(subgraph);

  return {
    async verify(authorization) {
      if (!authorization?.startsWith('Bearer ')) return null;
      try {
        const { payload } = await jwtVerify(authorization.slice('Bearer '.length), keySet, {
          issuer: CALLER_TOKEN_ISSUER,
          audience,
          algorithms: [CALLER_TOKEN_ALG],
          typ: CALLER_TOKEN_TYPE,
          requiredClaims: ['exp', 'iat'],
          clockTolerance: 5,
          currentDate: new Date(now()),
        });
        return callerFromClaims(payload);
      } catch {
        return null;
      }
    },
  };
}
