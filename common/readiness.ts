// Readiness, beside liveness: `/healthz` says the process lives (restart it if not); `/readyz` says whether it can
// serve now — each dependency answers within a short timeout — so an orchestrator sends traffic elsewhere until it
// can. The answer names each check and whether it is ready, nothing else: no addresses, no error messages.
// A check may also answer `degraded`: the dependency is gone but the process serves on without it (the gateway's
// rate limits fall back to local counting when Redis is unreachable). That is still 200 — taking every replica out
// of service because a shared counter is gone would turn a degraded limit into an outage — but it is said.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers (to DEGRADED when the process serves on without it); the signal aborts
   * when the check's time is up. */
  check(signal: AbortSignal): Promise<unknown>;
}

/** What a check resolves to when its dependency is gone but the process still serves, in a lesser way. */
export const DEGRADED = 'degraded';

export type ReadinessState = 'ready' | 'degraded' | 'not ready';

export interface Readiness {
  status: ReadinessState;
  checks: Record<string, ReadinessState>;
}

/** Runs every check at once, each bounded by timeoutMs; why one failed goes to the log only. */
export async function checkReadiness(
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
  log: FastifyBaseLogger,
): Promise<Readiness> {
  const states = await Promise.all(
    checks.map(async (dependency): Promise<[string, ReadinessState]> => {
      const { name } = dependency;
      const signal = AbortSignal.timeout(timeoutMs);
      const timedOut = new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(new Error('timed out')), { once: true }),
      );
      try {
        const answer = await Promise.race([dependency.check(signal), timedOut]);
        return [name, answer === DEGRADED ? DEGRADED : 'ready'];
      } catch (error) {
        // fetch reports the socket's errno on its cause (ECONNREFUSED, ...): that, not the message, says why.
        const {
          name: errorClass,
          code,
          cause,
        } = error as { name?: string; code?: unknown; cause?: { code?: unknown } };
        const errorCode = [code, cause?.code].find((c) => typeof c === 'string');
        log.warn({ check: name, errorClass, errorCode }, 'not ready');
        return [name, 'not ready'];
      }
    }),
  );
  const worst = states.some(([, s]) => s === 'not ready')
    ? 'not ready'
    : states.some(([, s]) => s === DEGRADED)
      ? DEGRADED
      : 'ready';
  return { status: worst, checks: Object.fromEntries(states) };
}

/** GET /readyz: 200 when every check is ready or degraded, else 503 (with the same body). */
export function registerReadiness(
  app: FastifyInstance,
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
): void {
  app.get('/readyz', async (request, reply) => {
    const readiness = await checkReadiness(checks, timeoutMs, request.log);
    return reply
      .code(readiness.status === 'not ready' ? 503 : 200)
      .header('cache-control', 'no-store')
      .send(readiness);
  });
}

/** The database answers a trivial query. */
/** Anything that answers SQL (db/database.ts's Queryable; common/ does not import db/). */
interface AnswersSql {
  query(text: string): Promise<unknown>;
}

export function databaseCheck(db: AnswersSql): ReadinessCheck {
  return { name: 'database', check: () => db.query('select 1') };
}

/** Another server's own readiness answers 200 (for the gateway: each subgraph's /readyz, next to its /graphql); when
 * it says it is degraded (serving, with something behind), so is this check: the gateway's /readyz then shows
 * which subgraph is, and the subgraph's own /readyz says what. */
export function httpCheck(
  name: string,
  url: string,
  fetchWith: (url: string, signal: AbortSignal) => Promise<Response> = (u, signal) => fetch(u, { signal }),
): ReadinessCheck {
  return {
    name,
    async check(signal) {
      const response = await fetchWith(url, signal);
      if (!response.ok) {
        await response.body?.cancel();
        throw Object.assign(new Error('not ready'), { code: `HTTP_${response.status}` });
      }
      const body = (await response.json().catch(() => null)) as { status?: unknown } | null;
      return body?.status === DEGRADED ? DEGRADED : undefined;
    },
  };
}
