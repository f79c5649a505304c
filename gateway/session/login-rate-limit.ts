// A rate limit on starting browser logins, per client address (#9 item 3): every /auth/login stores a login attempt
// row, so an unbounded caller could fill the table. A token bucket per address: `burst` logins at once, refilled at
// `perMinute`. Written here because @fastify/rate-limit is not among the dependencies; that library (with a Redis
// store, for replicas) would be the better home. State is per process, in a bounded map.
import { BoundedCache } from '../../common/bounded-cache.ts';

export interface LoginRateOptions {
  /** Logins one address may start per minute, sustained. @default 60 */
  perMinute: number;
  /** Logins one address may start at once. @default 30 */
  burst: number;
}

export interface LoginRateLimit {
  /** 0 when `address` may start a login now (and counts it); otherwise the seconds until it may. */
  take(address: string): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createLoginRateLimit(
  options: LoginRateOptions,
  now: () => number,
  maxAddresses = 50_000,
): LoginRateLimit {
  const { perMinute, burst } = options;
  if (!(perMinute > 0) || !(burst >= 1))
    throw new TypeError('perMinute must be positive and burst at least 1');
  const perMs = perMinute / 60_000;
  // A bucket left alone this long is full again, which is what a forgotten one means.
  const refillMs = Math.ceil(burst / perMs);
  const buckets = new BoundedCache<Bucket>(maxAddresses, now);
  return {
    take(address) {
      const at = now();
      const previous = buckets.get(address);
      const tokens = previous ? Math.min(burst, previous.tokens + (at - previous.at) * perMs) : burst;
      if (tokens < 1) {
        buckets.set(address, { tokens, at }, at + refillMs);
        return Math.ceil((1 - tokens) / perMs / 1000);
      }
      buckets.delete(address);
      buckets.set(address, { tokens: tokens - 1, at }, at + refillMs);
      return 0;
    },
  };
}
