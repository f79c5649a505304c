// Query.myAccessLog (issue #10 item 10): for the person logged in — or the person an integration acts for, with the
// person's own token — the events about them by anyone else, newest first, shaped like helsenorge's tilgangslogg:
// which organisation, who (the kind of actor; a person's name where the platform knows it — it stores none yet, so
// null, and never the acting person's fødselsnummer), when, what (resource type, id and fields from the event's
// payload: `resourceType`, `resourceId`, `fields`) and on which legal basis. Each entry carries its event's id, for
// the inclusion proof the page will verify. Reading it is an AUDIT_READ about that person, which the person sees
// in this log when an integration read it for them.
import type { Principal } from '../../access/principal.ts';
import { FORBIDDEN_MESSAGE, platformError } from '../../common/errors.ts';
import type { SubgraphContext } from '../runtime/types.ts';
import { recordRead } from './read-event.ts';
import { decodeCursor, pageOf, pageSize } from './reading-input.ts';
import type { AuditStore } from './store.ts';
import type { LogEventRow } from './store/reading.ts';

/** An entry; `dataSubject` is what the fields' rules read (permissions.ts), not a field. */
export interface AccessLogEntry {
  dataSubject: string;
  eventId: string;
  occurredAt: string;
  orgnr: string | null;
  actorType: string;
  actorName: null;
  integrationId: string | null;
  service: string;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  fields: string[];
  legalBasis: string | null;
}

export interface AccessLogPage {
  dataSubject: string;
  entries: AccessLogEntry[];
  nextCursor: string | null;
}

/** Whose log the caller reads: their own, or the person's the integration acts for. */
function subjectOf(principal: Principal): string | null {
  return principal.kind === 'person' ? principal.pid : (principal.onBehalfOf?.pid ?? null);
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);

function entry(pid: string, row: LogEventRow): AccessLogEntry {
  const payload = row.payload ?? {};
  const fields = Array.isArray(payload.fields) ? payload.fields.filter((f) => typeof f === 'string') : [];
  return {
    dataSubject: pid,
    eventId: row.id,
    occurredAt: row.occurredAt,
    orgnr: row.orgnr,
    actorType: row.actorType,
    // The platform keeps no names of persons (ID-porten gives none to a resource server); a later source fills this.
    actorName: null,
    integrationId: row.actorType === 'INTEGRATION' ? row.actorId : null,
    service: row.service,
    action: row.action,
    resourceType: text(payload.resourceType),
    resourceId: text(payload.resourceId),
    fields,
    legalBasis: row.legalBasis,
  };
}

export async function myAccessLog(
  _: unknown,
  args: { first: unknown; after?: unknown },
  ctx: SubgraphContext<AuditStore>,
): Promise<AccessLogPage> {
  const pid = subjectOf(ctx.principal);
  // The rule admits only persons and integrations acting for one; nobody else has a log of their own.
  if (!pid) throw platformError('FORBIDDEN', FORBIDDEN_MESSAGE);
  const size = pageSize(args.first, 'first');
  const page = pageOf(await ctx.store.reads.accessLog(pid, decodeCursor(args.after), size + 1), size);
  await recordRead(ctx, {
    orgnr: ctx.principal.kind === 'integration' ? ctx.principal.orgnr : null,
    action: 'AUDIT_READ',
    dataSubject: pid,
    payload: { query: 'myAccessLog', first: size, returned: page.rows.length },
  });
  return { dataSubject: pid, entries: page.rows.map((row) => entry(pid, row)), nextCursor: page.nextCursor };
}
