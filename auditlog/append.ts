// Writing events: always through the audit subgraph's SQL functions (audit.append_event, audit.append_events), which
// are security definer, so no writer needs, or gets, any privilege on the audit tables themselves.
import type { Queryable } from '../db/database.ts';
import { assertValidEvent, type AuditEvent } from './event.ts';

function columns(event: AuditEvent) {
  return {
    actor_type: event.actorType,
    actor_id: event.actorId,
    on_behalf_of: event.onBehalfOf,
    orgnr: event.orgnr,
    service: event.service,
    action: event.action,
    data_subject: event.dataSubject ?? null,
    legal_basis: event.legalBasis ?? null,
    request_id: event.requestId,
    payload: event.payload ?? null,
  };
}

/** Appends one event (on a change's own transaction, so both commit or neither); answers its id. */
export async function appendAuditEvent(db: Queryable, event: AuditEvent): Promise<string> {
  assertValidEvent(event);
  const c = columns(event);
  const rows = await db.query<{ id: string }>(
    'select audit.append_event($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) as id',
    [
      c.actor_type,
      c.actor_id,
      c.on_behalf_of,
      c.orgnr,
      c.service,
      c.action,
      c.data_subject,
      c.legal_basis,
      c.request_id,
      c.payload,
    ],
  );
  if (!rows[0]?.id) throw new Error('audit event not stored');
  return rows[0].id;
}

/** Appends many events in one statement, so one transaction and one commit; resolves once all are durable. */
export async function appendAuditEvents(db: Queryable, events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  for (const event of events) assertValidEvent(event);
  const rows = await db.query<{ stored: number }>('select audit.append_events($1::jsonb) as stored', [
    JSON.stringify(events.map(columns)),
  ]);
  if (rows[0]?.stored !== events.length) throw new Error('audit events not stored');
}
