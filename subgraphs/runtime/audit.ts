// The one audit interface every subgraph writes through (FIKS-FACTS §7: who, what, which service, when, for whom).
// Who acted, for whom, in which service and request is filled in from the request, never by the caller; the write
// goes through one SQL function owned by the audit subgraph (audit.append_event), so no other subgraph touches audit
// tables. `record` resolves only once the event is stored: a change that must be audited records its event on the
// change's own transaction (`on(tx)`), so there is never a change without its event, and a failed audit write fails
// the change (fail closed).
import { actorOf, onBehalfOf } from '../../access/actor.ts';
import type { Principal } from '../../access/principal.ts';
import type { Queryable } from '../../db/database.ts';

export interface AuditEventInput {
  /** The organisation the event belongs to (its administrators read it); null for a platform-wide event. */
  orgnr: string | null;
  /** What happened, `^[A-Z_]+$`: GRANT_CREATED, GRANT_REVOKED, ADMINISTRATOR_APPOINTED, DOCUMENT_READ, ... */
  action: string;
  /** Fødselsnummer of the person the event is about (given a grant, whose data was read), if any. */
  dataSubject?: string | null;
  /** The legal basis (lovhjemmel) of an access to another person's data. */
  legalBasis?: string | null;
  /** What exactly: privilege, resource, the actor given or losing it, ... (stored as jsonb). */
  payload?: Record<string, unknown> | null;
}

/** An event as stored: the input, plus who acted, for whom, in which service and request. */
export interface AuditEvent extends AuditEventInput {
  actorType: 'PERSON' | 'INTEGRATION' | 'PLATFORM';
  actorId: string;
  /** The organisation a person acts for, or the person an integration acts for. */
  onBehalfOf: string | null;
  /** The subgraph that records it. */
  service: string;
  requestId: string | null;
}

export interface AuditLog {
  /** Stores the event; resolves only once it is stored, rejects when it cannot be (the caller must then fail). */
  record(event: AuditEventInput): Promise<void>;
  /** The same log writing on a transaction: the event commits, or rolls back, with the change it describes. */
  on(tx: Queryable): AuditLog;
}

export interface AuditScope {
  service: string;
  principal: Principal;
  requestId: string;
}

const ACTION = /^[A-Z_]+$/;

function auditActor(principal: Principal): Pick<AuditEvent, 'actorType' | 'actorId' | 'onBehalfOf'> {
  const actor = actorOf(principal);
  return { actorType: actor.type, actorId: actor.id, onBehalfOf: onBehalfOf(principal) };
}

/** Appends one event through audit.append_event; answers its id. */
export async function appendAuditEvent(db: Queryable, event: AuditEvent): Promise<string> {
  if (!ACTION.test(event.action)) throw new Error(`invalid audit action ${event.action}`);
  const rows = await db.query<{ id: string }>(
    'select audit.append_event($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) as id',
    [
      event.actorType,
      event.actorId,
      event.onBehalfOf,
      event.orgnr,
      event.service,
      event.action,
      event.dataSubject ?? null,
      event.legalBasis ?? null,
      event.requestId,
      event.payload ?? null,
    ],
  );
  if (!rows[0]?.id) throw new Error('audit event not stored');
  return rows[0].id;
}

/** The audit log of one request: every event carries its principal, service and request id. */
export function createAuditLog(db: Queryable, scope: AuditScope): AuditLog {
  const actor = auditActor(scope.principal);
  return {
    async record(event) {
      await appendAuditEvent(db, {
        ...event,
        ...actor,
        service: scope.service,
        requestId: scope.requestId,
      });
    },
    on(tx) {
      return createAuditLog(tx, scope);
    },
  };
}
