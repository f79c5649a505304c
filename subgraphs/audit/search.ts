// Query.auditLog: an organisation's log searched by time, actor, data subject, service and action, newest first, a
// page at a time. The rule (permissions.ts) has let only its administrators and AUDIT.READ holders this far; the
// store reads as the caller under row-level security. The search is itself an audit event (AUDIT_READ) with the
// filter, and about the person searched for when there is one: reading someone's events is reading their data, and
// it shows in their own access log. Stored before the page is answered; if it cannot be, there is no page.
import type { SubgraphContext } from '../runtime/types.ts';
import { recordRead } from './read-event.ts';
import { decodeCursor, optionalInstant, pageOf, pageSize } from './reading-input.ts';
import type { AuditStore } from './store.ts';
import type { LogEventRow, LogFilter } from './store/reading.ts';

interface AuditLogArgs {
  orgnr: string;
  filter?: {
    from?: unknown;
    to?: unknown;
    actorType?: string | null;
    actorId?: string | null;
    subjectPid?: string | null;
    service?: string | null;
    action?: string | null;
  } | null;
  first: unknown;
  after?: unknown;
}

/** What the page's fields' rules read: the organisation it was read from. */
export interface AuditLogPage {
  orgnr: string;
  events: LogEventRow[];
  nextCursor: string | null;
}

export async function auditLog(
  _: unknown,
  args: AuditLogArgs,
  ctx: SubgraphContext<AuditStore>,
): Promise<AuditLogPage> {
  const size = pageSize(args.first, 'first');
  const after = decodeCursor(args.after);
  const f = args.filter ?? {};
  const filter: LogFilter = {
    orgnr: args.orgnr,
    from: optionalInstant(f.from, 'filter.from'),
    to: optionalInstant(f.to, 'filter.to'),
    actorType: f.actorType ?? null,
    actorId: f.actorId ?? null,
    dataSubject: f.subjectPid ?? null,
    service: f.service ?? null,
    action: f.action ?? null,
  };
  const page = pageOf(await ctx.store.reads.search(filter, after, size + 1), size);
  const given = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== null));
  await recordRead(ctx, {
    orgnr: args.orgnr,
    action: 'AUDIT_READ',
    dataSubject: filter.dataSubject,
    payload: {
      query: 'auditLog',
      filter: given,
      first: size,
      page: after ? 'next' : 'first',
      returned: page.rows.length,
    },
  });
  return { orgnr: args.orgnr, events: page.rows, nextCursor: page.nextCursor };
}
