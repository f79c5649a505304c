// Where rate limits are counted: in Redis when REDIS_URL is set — @fastify/rate-limit's own Redis store, one Lua
// script (INCR, then PEXPIRE on the first request of a window), so replicas share one budget and never race — and
// in memory otherwise (the plugin's LRU store, bounded).
//
// Redis unreachable: the gateway degrades to local counting rather than failing closed. Rate limits protect the
// platform from being flooded; refusing every request while Redis is down would be the flood's effect, caused by
// the defence. Each replica then limits on its own (at most replicas × budget in all), which still bounds a
// flooding caller. The switch is logged once each way (not per request), and /readyz says `degraded`.
import { createRequire } from 'node:module';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { trackRedisOutage } from '../../common/redis-outage.ts';

type Counted = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** The store contract of @fastify/rate-limit (its FastifyRateLimitStore, without `child`, which we never use). */
export interface CountingStore {
  incr(key: string, done: Counted, timeWindow: number, max: number): void;
}

// The plugin's stores are not exported from its index; the package has no exports map, so they are required by
// path. Their constructors: (continueExceeding, exponentialBackoff, redis, prefix) and (…, cacheSize).
const require = createRequire(import.meta.url);
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  prefix: string,
) => CountingStore;
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  cacheSize: number,
) => CountingStore;

/** Subjects counted at once in memory; past it the least recently seen is forgotten (and starts afresh). */
const LOCAL_SUBJECTS = 50_000;

export type CounterMode = 'shared' | 'local' | 'degraded';

export interface Counter extends CountingStore {
  /** `shared` (Redis answers), `local` (no Redis configured) or `degraded` (Redis configured, not answering). */
  readonly mode: CounterMode;
  /** Records that Redis failed (a count or a readiness ping): logged once per outage. */
  redisFailed(error: unknown): void;
  /** Records that Redis answered again. */
  redisAnswered(): void;
}

export function createCounter(redis: Redis | undefined, prefix: string, log: FastifyBaseLogger): Counter {
  const local = new LocalStore(false, false, LOCAL_SUBJECTS);
  if (!redis) {
    return { mode: 'local', incr: (...args) => local.incr(...args), redisFailed() {}, redisAnswered() {} };
  }
  const shared = new RedisStore(false, false, redis, prefix);
  const outage = trackRedisOutage(log, {
    down: 'rate limits counted locally: Redis unreachable',
    up: 'rate limits shared again: Redis answers',
  });
  const counter: Counter = {
    get mode() {
      return outage.down ? 'degraded' : 'shared';
    },
    redisFailed: (error) => outage.failed(error),
    redisAnswered: () => outage.answered(),
    incr(key, done, timeWindow, max) {
      shared.incr(
        key,
        (error, result) => {
          if (error || !result) {
            counter.redisFailed(error);
            local.incr(key, done, timeWindow, max);
            return;
          }
          counter.redisAnswered();
          done(null, result);
        },
        timeWindow,
        max,
      );
    },
  };
  return counter;
}
