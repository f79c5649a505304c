// The replay guard shared by every replica of a subgraph (REDIS_URL): a caller token's id is claimed in Redis with
// SET NX, kept until the token expires, so a token copied and sent to another replica of the same subgraph is
// refused there too (replay-guard.ts remembers only what this process saw). One atomic command per call, on the
// connection the process already holds.
//
// While Redis cannot be reached, each replica remembers only its own tokens (as without REDIS_URL) and keeps
// serving: the token is still verified (signature, audience, a lifetime of a minute) and refused a second time by
// this process, and refusing every call because a shared memory is gone would take the platform down for a replay
// that needs a token copied off the internal network first. The switch is logged once each way, and /readyz says
// `replay-guard: degraded` meanwhile.
import type { Redis } from 'ioredis';
import type { Logger } from '../../common/logger.ts';
import type { ReadinessCheck } from '../../common/readiness.ts';
import { redisReadinessCheck, trackRedisOutage } from '../../common/redis-outage.ts';

export type SharedClaim = 'first' | 'replayed';

export interface SharedReplayGuard {
  /** Claims `tokenId` for all replicas until `expiresAtMs`: 'replayed' when another call (any replica) did first.
   * 'first' also when Redis cannot be asked (this process's own guard still holds the id). */
  claim(tokenId: string, expiresAtMs: number): Promise<SharedClaim>;
  readiness: ReadinessCheck[];
}

export interface SharedReplayGuardOptions {
  redis: Redis;
  /** Key prefix; the subgraph's name follows it, so one Redis serves every subgraph. */
  prefix: string;
  subgraph: string;
  log: Logger;
  now?: () => number;
}

export function createSharedReplayGuard(options: SharedReplayGuardOptions): SharedReplayGuard {
  const { redis, log } = options;
  const now = options.now ?? Date.now;
  const keyOf = (tokenId: string) => `${options.prefix}${options.subgraph}:${tokenId}`;
  const outage = trackRedisOutage(log, {
    down: 'caller tokens remembered in this process only: Redis unreachable',
    up: 'caller tokens remembered across replicas again: Redis answers',
  });

  return {
    async claim(tokenId, expiresAtMs) {
      const ttlMs = Math.max(1, Math.ceil(expiresAtMs - now()));
      try {
        const set = await redis.set(keyOf(tokenId), '1', 'PX', ttlMs, 'NX');
        outage.answered();
        return set === 'OK' ? 'first' : 'replayed';
      } catch (error) {
        outage.failed(error);
        return 'first';
      }
    },
    readiness: [redisReadinessCheck('replay-guard', redis, outage)],
  };
}
