// Rate limits per principal (issue #12 item 8), counted by @fastify/rate-limit (counter.ts says where). The gateway
// asks after authentication (server.ts adds `hook` after its authentication hook), so /graphql and the
// authenticating routes count against the principal, everything else against the client address — a refused
// authentication too (server.ts asks before it answers the refusal). A request past
// its budget is answered 429 `RATE_LIMITED` with `Retry-After` and the IETF RateLimit headers
// (draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy` names the policy, its quota q and window w; `RateLimit`
// what remains, r, and the seconds until the window resets, t), on every counted answer so a client can pace itself.
//
// The plugin is registered with `global: false` and asked through `createRateLimit`: its own route hooks would
// count each route apart (its keys carry method and URL) and answer in its own error shape; here one budget covers
// every route, and the answer is ours.
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyBaseLogger, FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import type { RateLimitSettings } from '../../common/config.ts';
import { errorBody } from '../../common/errors.ts';
import type { ReadinessCheck } from '../../common/readiness.ts';
import { connectRedis } from '../../common/redis.ts';
import { redisReadinessCheck } from '../../common/redis-outage.ts';
import { createCounter, type Counter } from './counter.ts';
import { kindOfKey, subjectKeyOf } from './subject.ts';

export interface RateLimiter {
  /** The onRequest hook; add it after authentication. */
  hook: onRequestAsyncHookHandler;
  /** Readiness of the shared counting (`degraded` while Redis is unreachable); none without REDIS_URL. */
  readiness: ReadinessCheck[];
  readonly counter: Counter;
}

export interface RateLimiterOptions {
  settings: RateLimitSettings;
  /** HMAC key for persons' keys (subject.ts personKeySecret). */
  personKeySecret: Buffer;
  log: FastifyBaseLogger;
}

export async function createRateLimiter(
  app: FastifyInstance,
  options: RateLimiterOptions,
): Promise<RateLimiter> {
  const { settings, log } = options;
  const redis = settings.redisUrl ? await connectRedis(settings.redisUrl) : undefined;
  const counter = createCounter(redis, settings.redisPrefix, log);
  if (redis) app.addHook('onClose', () => redis.disconnect());

  const subjectKey = subjectKeyOf(options.personKeySecret);
  await app.register(fastifyRateLimit, {
    global: false,
    // The plugin builds the store with `new`; ours is made above, with the logger and Redis it needs.
    store: class {
      constructor() {
        return counter;
      }
    } as never,
    timeWindow: settings.windowMs,
    keyGenerator: subjectKey,
    max: (_request, key) => settings.max[kindOfKey(key)],
  });
  const limit = app.createRateLimit();
  const windowSeconds = Math.ceil(settings.windowMs / 1000);

  const hook: onRequestAsyncHookHandler = async (request, reply) => {
    if (request.routeOptions.config.rateLimit === false) return;
    const outcome = await limit(request);
    if (outcome.isAllowed) return;
    const kind = kindOfKey(outcome.key);
    const reset = Math.max(1, outcome.ttlInSeconds);
    void reply
      .header('ratelimit-policy', `"${kind}";q=${outcome.max};w=${windowSeconds}`)
      .header('ratelimit', `"${kind}";r=${outcome.remaining};t=${reset}`);
    if (!outcome.isExceeded) return;
    // One line per refusal at debug only: a flood must not become a flood of log lines.
    request.log.debug({ rateLimit: kind }, 'rate limited');
    return reply
      .code(429)
      .header('retry-after', String(reset))
      .header('cache-control', 'no-store')
      .send(errorBody('RATE_LIMITED', `Too many requests. Try again in ${reset} seconds.`, request.id));
  };

  const readiness: ReadinessCheck[] = redis
    ? [
        redisReadinessCheck('redis', redis, {
          failed: (error) => counter.redisFailed(error),
          answered: () => counter.redisAnswered(),
        }),
      ]
    : [];
  return { hook, readiness, counter };
}
