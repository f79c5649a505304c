// Who is calling this subgraph: the principal in the gateway's caller token, verified here. A request without a
// valid token for this subgraph is refused before GraphQL runs. Verification costs ~0.25 ms, so a verified token is
// remembered until it expires.
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWK } from 'jose';
import {
  CALLER_TOKEN_ALG,
  CALLER_TOKEN_ISSUER,
  callerTokenAudience,
  principalFromClaims,
} from '../../access/caller-token.ts';
import type { Principal } from '../../access/principal.ts';
import { BoundedCache } from '../../common/bounded-cache.ts';

export type CallerKeys = { jwks: { keys: JWK[] } } | { jwksUrl: string };

export interface CallerVerifier {
  /** The principal of a valid token, or null for anything else (missing, forged, expired, other audience). */
  verify(authorization: string | undefined): Promise<Principal | null>;
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
  const verified = new BoundedCache<Principal>(10_000, now);

  return {
    async verify(authorization) {
      if (!authorization?.startsWith('Bearer ')) return null;
      const token = authorization.slice('Bearer '.length);
      const cached = verified.get(token);
      if (cached) return cached;
      try {
        const { payload } = await jwtVerify(token, keySet, {
          issuer: CALLER_TOKEN_ISSUER,
          audience,
          algorithms: [CALLER_TOKEN_ALG],
          typ: 'fiks-caller+jwt',
          requiredClaims: ['exp', 'iat'],
          clockTolerance: 5,
          currentDate: new Date(now()),
        });
        const principal = principalFromClaims(payload);
        if (principal && typeof payload.exp === 'number') verified.set(token, principal, payload.exp * 1000);
        return principal;
      } catch {
        return null;
      }
    },
  };
}
