// The audit log as a subgraph's resolvers see it: every event carries the request's principal, service and request
// id, filled in here, never by the caller. A change that must be audited records its event on the change's own
// transaction (`on(tx)`), so there is never a change without its event, and a failed audit write fails the change
// (fail closed). Reads of personal data are recorded by the audit plugin (personal-data-audit.ts), group-committed.
import { appendAuditEvent, appendAuditEvents } from '../../auditlog/append.ts';
import { auditActor, type AuditEventInput } from '../../auditlog/event.ts';
import type { AuditAppender } from '../../auditlog/group-commit.ts';
import type { Principal } from '../../access/principal.ts';
import type { Queryable } from '../../db/database.ts';

export type { AuditEvent, AuditEventInput } from '../../auditlog/event.ts';

export interface AuditLog {
  /** Stores the event; resolves only once it is stored, rejects when it cannot be (the caller must then fail). */
  record(event: AuditEventInput): Promise<void>;
  /** The same log writing on a transaction: the events commit, or roll back, with the change they describe (its
   * recordAll writes on that transaction too, in one statement, never through the group committer, which would
   * wait for a connection the transaction holds). */
  on(tx: Queryable): AuditLog;
  /** Stores many events, group-committed with other requests' events; resolves once all are durable. */
  recordAll(events: readonly AuditEventInput[]): Promise<void>;
}

export interface AuditScope {
  service: string;
  principal: Principal;
  requestId: string;
}

/** The audit log of one request: every event carries its principal, service and request id. */
export function createAuditLog(
  db: Queryable,
  scope: AuditScope,
  appender: AuditAppender,
  onTransaction = false,
): AuditLog {
  const actor = auditActor(scope.principal);
  const complete = (event: AuditEventInput) => ({
    ...event,
    ...actor,
    service: scope.service,
    requestId: scope.requestId,
  });
  return {
    async record(event) {
      await appendAuditEvent(db, complete(event));
    },
    on(tx) {
      return createAuditLog(tx, scope, appender, true);
    },
    async recordAll(events) {
      if (!onTransaction) return appender.append(events.map(complete));
      if (events.length > 0) await appendAuditEvents(db, events.map(complete));
    },
  };
}
