// GET /export?orgnr=&from=&to=: an organisation's events in [from, to) as JSON lines, oldest first, for the same
// callers as the search (Query.auditLog's rule: ADMIN or AUDIT.READ on the organisation's root). The gateway's
// /audit/export forwards here with a caller token (gateway/audit-export.ts); the subgraph's door has verified it.
//
// Constant memory: keyset batches (store/reading.ts), each read as the caller under row-level security, and the next
// batch read only once the connection has taken the last one (`write` returning false waits for 'drain'), so a slow
// reader holds one batch here, never the log.
//
// Recorded: AUDIT_EXPORT_REFUSED for a caller who may not export. AUDIT_EXPORT_STARTED before the first row leaves
// (no audit, no data: if it cannot be stored the answer is 503 AUDIT_UNAVAILABLE and nothing else), and
// AUDIT_EXPORTED when the stream ends, with the range, `count` (rows handed to the connection) and `complete`. The
// response ends only after AUDIT_EXPORTED is stored; if that fails, or reading fails, the connection is cut rather
// than ended, so the reader never takes a partial export for a whole one. When the reader goes away first, the event
// says complete: false and how many rows had been handed over — the reader may have received fewer, the ones still
// in flight when the connection broke.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { evaluate } from '../../access/policy.ts';
import type { Principal } from '../../access/principal.ts';
import { FORBIDDEN_MESSAGE } from '../../common/errors.ts';
import type { ContextFor } from '../runtime/types.ts';
import { readsLogOfArgs } from './permissions.ts';
import { AUDIT_UNAVAILABLE_MESSAGE, recordRead } from './read-event.ts';
import { period } from './reading-input.ts';
import type { AuditStore } from './store.ts';
import type { LogEventRow } from './store/reading.ts';
import { refuse } from '../../common/http-refusal.ts';

export const EXPORT_PATH = '/export';
/** Rows per keyset batch: one batch is all the export holds in memory. */
const BATCH = 500;
const ORGNR = /^\d{9}$/;

function callerOrganization(principal: Principal): string | null {
  return principal.kind === 'person' ? (principal.actingFor?.orgnr ?? null) : principal.orgnr;
}

/** One JSON line per event: the event as the log holds it, its time to the microsecond. */
function line({ key, occurredAt: _ms, ...event }: LogEventRow): string {
  return `${JSON.stringify({ ...event, occurredAt: key.at })}\n`;
}

/** Resolves when the connection can take more, or has closed — at once if it closed already (a write after the
 * reader left returns false, and neither 'drain' nor 'close' comes again). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || !res.writableNeedDrain) return resolve();
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export function registerExport(app: FastifyInstance, contextFor: ContextFor<AuditStore>): void {
  app.get(EXPORT_PATH, async (request, reply) => {
    const ctx = contextFor(request);
    const query = request.query as Record<string, unknown>;
    const orgnr = query.orgnr;
    let range: { from: string; to: string };
    try {
      if (typeof orgnr !== 'string' || !ORGNR.test(orgnr)) throw new Error('orgnr must be 9 digits.');
      range = period(query.from, query.to);
    } catch (error) {
      return refuse(reply, request, 400, 'BAD_USER_INPUT', (error as Error).message);
    }
    const rule = { principal: ctx.principal, access: ctx.access, args: { orgnr } };
    if ((await evaluate(readsLogOfArgs, rule, 'all')) !== 'allow') {
      // A refused operation is a security event (#10 item 4), in the caller's organisation's log as the subgraphs'
      // FIELD_REFUSED is (runtime/refusal-audit.ts); one the log cannot show is not answered silently either.
      try {
        await recordRead(ctx, {
          orgnr: callerOrganization(ctx.principal),
          action: 'AUDIT_EXPORT_REFUSED',
          payload: { orgnr, ...range },
        });
      } catch {
        return refuse(reply, request, 503, 'AUDIT_UNAVAILABLE', AUDIT_UNAVAILABLE_MESSAGE);
      }
      return refuse(reply, request, 403, 'FORBIDDEN', FORBIDDEN_MESSAGE);
    }
    // Events stamped after the export began are left out, its own among them: the export has an end.
    const until = await ctx.store.reads.now();
    try {
      await recordRead(ctx, { orgnr, action: 'AUDIT_EXPORT_STARTED', payload: { ...range } });
    } catch {
      return refuse(reply, request, 503, 'AUDIT_UNAVAILABLE', AUDIT_UNAVAILABLE_MESSAGE);
    }

    // From here the route writes the response itself (backpressure, and cutting rather than ending on failure).
    void reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'x-request-id': request.id,
      'content-type': 'application/x-ndjson; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.flushHeaders();
    let count = 0;
    let failed = false;
    try {
      let after = null;
      while (!res.destroyed) {
        const batch = await ctx.store.reads.exportBatch(orgnr, { ...range, until }, after, BATCH);
        if (batch.length === 0) break;
        const ok = res.write(batch.map(line).join(''));
        count += batch.length;
        after = batch[batch.length - 1]!.key;
        if (!ok) await drained(res);
      }
    } catch (error) {
      failed = true;
      // The driver's code only: an error's detail can quote a row.
      const code = (error as { code?: unknown } | null)?.code;
      request.log.error(
        { dbError: typeof code === 'string' ? code : 'unknown' },
        'audit export failed while reading',
      );
    }
    const complete = !failed && !res.destroyed;
    try {
      await recordRead(ctx, { orgnr, action: 'AUDIT_EXPORTED', payload: { ...range, count, complete } });
    } catch {
      failed = true;
    }
    if (failed || !complete) res.destroy();
    else res.end();
  });
}
