// The one way this platform connects to Redis (gateway rate limits, subgraphs' shared replay guard): a client that
// never queues, so that while Redis is unreachable a command fails at once and the caller falls back to what it
// does locally, rather than every request waiting on a reconnect.
import { once } from 'node:events';
import { Redis } from 'ioredis';

/** A command that takes longer fails, and the caller falls back: Redis must not slow every request down. */
const REDIS_COMMAND_TIMEOUT_MS = 500;
const REDIS_CONNECT_TIMEOUT_MS = 1000;

/**
 * Connects, and waits for the first connection (or its failure), so the first requests after start do not fall back
 * for nothing. It reconnects by itself; its own error events are dropped here, because each user logs an outage
 * once, not every failed reconnect.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  });
  redis.on('error', () => {});
  await Promise.race([once(redis, 'ready'), once(redis, 'error')]).catch(() => undefined);
  return redis;
}
