// Readiness, beside liveness: `/healthz` says the process lives (restart it if not); `/readyz` says whether it can
// serve now — each dependency answers within a short timeout — so an orchestrator sends traffic elsewhere until it
// can. The answer names each check and whether it is ready, nothing else: no addresses, no error messages.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; the signal aborts when the check's time is up. */
  check(signal: AbortSignal): Promise<unknown>;
}

export type ReadinessState = 'ready' | 'not ready';

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
        await Promise.race([dependency.check(signal), timedOut]);
        return [name, 'ready'];
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
  const ready = states.every(([, state]) => state === 'ready');
  return { status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(states) };
}

/** GET /readyz: 200 when every check is ready, else 503 (with the same body). */
export function registerReadiness(
  app: FastifyInstance,
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
): void {
  app.get('/readyz', async (request, reply) => {
    const readiness = await checkReadiness(checks, timeoutMs, request.log);
    return reply
      .code(readiness.status === 'ready' ? 200 : 503)
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

/** Another server's own readiness answers 200 (for the gateway: each subgraph's /readyz, next to its /graphql). */
export function httpCheck(name: string, url: string): ReadinessCheck {
  return {
    name,
    async check(signal) {
      const response = await fetch(url, { signal });
      await response.body?.cancel();
      if (!response.ok) throw Object.assign(new Error('not ready'), { code: `HTTP_${response.status}` });
    },
  };
}
