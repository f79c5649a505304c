// Query.snoopingReport (issue #10 item 11): who in the organisation read the most distinct persons' data in a period
// — how a municipality notices an employee browsing neighbours' records. One statement over the log
// (store/reading.ts: count(distinct data_subject) by actor), at most `limit` actors, the most persons first; those
// above AUDIT_SNOOPING_THRESHOLD are flagged. Reads of a person's data are the events whose action ends in _READ and
// that name a data subject; a person reading their own data is not counted. Running the report is an AUDIT_READ.
import { DEFAULT_SNOOPING_THRESHOLD } from '../../common/config.ts';
import type { SubgraphContext } from '../runtime/types.ts';
import { recordRead } from './read-event.ts';
import { pageSize, period } from './reading-input.ts';
import type { AuditStore } from './store.ts';
import type { SnoopingRow } from './store/reading.ts';

export interface SnoopingReport {
  orgnr: string;
  from: string;
  to: string;
  threshold: number;
  actors: (SnoopingRow & { orgnr: string })[];
}

export async function snoopingReport(
  _: unknown,
  args: { orgnr: string; from: unknown; to: unknown; limit: unknown },
  ctx: SubgraphContext<AuditStore>,
): Promise<SnoopingReport> {
  const range = period(args.from, args.to);
  const limit = pageSize(args.limit, 'limit');
  const threshold = ctx.store.auditLog?.snoopingThreshold ?? DEFAULT_SNOOPING_THRESHOLD;
  const rows = await ctx.store.reads.snooping(args.orgnr, range, threshold, limit);
  await recordRead(ctx, {
    orgnr: args.orgnr,
    action: 'AUDIT_READ',
    payload: { query: 'snoopingReport', ...range, threshold, limit, returned: rows.length },
  });
  return {
    orgnr: args.orgnr,
    ...range,
    threshold,
    actors: rows.map((row) => ({ ...row, orgnr: args.orgnr })),
  };
}
