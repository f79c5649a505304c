// Whether Redis answers, as those who fall back without it track it (the gateway's rate limits, the subgraphs'
// shared replay guard): the switch is logged once each way, never per request — an outage under load must not
// become a flood of log lines — and only with the error's class and code, never its message. /readyz asks Redis the
// same way for both: a PING, `degraded` while it does not answer.
import { DEGRADED, type ReadinessCheck } from './readiness.ts';

export interface RedisOutageLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  info(message: string): void;
}

export interface RedisOutage {
  /** True from a failure until Redis answers again. */
  readonly down: boolean;
  /** Redis failed (a command or a readiness ping). */
  failed(this: void, error: unknown): void;
  /** Redis answered. */
  answered(this: void): void;
}

export function trackRedisOutage(
  log: RedisOutageLogger,
  messages: { down: string; up: string },
): RedisOutage {
  let down = false;
  return {
    get down() {
      return down;
    },
    failed(error) {
      if (down) return;
      down = true;
      const { name, code } = (error ?? {}) as { name?: string; code?: unknown };
      log.warn({ errorClass: name, errorCode: typeof code === 'string' ? code : undefined }, messages.down);
    },
    answered() {
      if (!down) return;
      down = false;
      log.info(messages.up);
    },
  };
}

/** The readiness check of a user of Redis that serves on without it: ready while Redis answers a PING, DEGRADED
 * while it does not; either way the outage is tracked, so the log says when it began and ended. */
export function redisReadinessCheck(
  name: string,
  redis: { ping(): Promise<unknown> },
  outage: Pick<RedisOutage, 'failed' | 'answered'>,
): ReadinessCheck {
  return {
    name,
    async check() {
      try {
        await redis.ping();
        outage.answered();
        return 'ready';
      } catch (error) {
        outage.failed(error);
        return DEGRADED;
      }
    },
  };
}
