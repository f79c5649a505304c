// Remembers the claims of tokens already verified, until they expire, so the signature check (RS256 through
// WebCrypto, the largest cost of an integration call) runs once per token rather than once per request. What can
// change while a token lives — an integration's password, whether it is enabled, grants — is checked on every request
// regardless; only the token's own signature and claims are remembered.
import { createHash } from 'node:crypto';
import { BoundedCache } from '../../common/bounded-cache.ts';

export function rememberVerified<C extends { expiresAt: number }>(
  verify: (token: string) => Promise<C>,
  now: () => number = Date.now,
): (token: string) => Promise<C> {
  const cache = new BoundedCache<C>(10_000, now);
  return async (token) => {
    // Keyed by a digest: the cache holds no bearer token.
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = cache.get(key);
    if (cached) return cached;
    const claims = await verify(token);
    cache.set(key, claims, claims.expiresAt);
    return claims;
  };
}
