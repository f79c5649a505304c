// What an audit event is (FIKS-FACTS §7: who, what, which service, when, for whom), shared by everything that writes
// one: the subgraphs (changes, reads of personal data, refusals) and the gateway (logins, failed authentications,
// refused operations). Who acted is always derived from the verified principal, never taken from a caller.
import { actorOf, onBehalfOf } from '../access/actor.ts';
import type { Principal } from '../access/principal.ts';

export interface AuditEventInput {
  /** The organisation the event belongs to (its administrators read it); null for a platform-wide event. */
  orgnr: string | null;
  /** What happened, `^[A-Z_]+$`: GRANT_CREATED, PERSONAL_DATA_READ, LOGIN, OPERATION_REFUSED, ... */
  action: string;
  /** Fødselsnummer of the person the event is about (given a grant, whose data was read), if any. */
  dataSubject?: string | null;
  /** The legal basis (lovhjemmel) of an access to another person's data. */
  legalBasis?: string | null;
  /** What exactly: privilege, resource, fields read, ... (stored as jsonb). Never a password, token or secret. */
  payload?: Record<string, unknown> | null;
}

export type AuditActorType = 'PERSON' | 'INTEGRATION' | 'PLATFORM' | 'ANONYMOUS';

/** An event as stored: the input, plus who acted, for whom, in which service and request. */
export interface AuditEvent extends AuditEventInput {
  actorType: AuditActorType;
  actorId: string;
  /** The organisation a person acts for, or the person an integration acts for. */
  onBehalfOf: string | null;
  /** The component that records it: a subgraph's name, or `gateway`. */
  service: string;
  requestId: string | null;
}

const ACTION = /^[A-Z_]+$/;

/** Refuses an event the table's check would refuse, before it can fail a whole group of other requests' events. */
export function assertValidEvent(event: AuditEvent): void {
  if (!ACTION.test(event.action)) throw new Error(`invalid audit action ${event.action}`);
}

/** Who acted, as the audit log names it, from the verified principal. */
export function auditActor(principal: Principal): Pick<AuditEvent, 'actorType' | 'actorId' | 'onBehalfOf'> {
  const actor = actorOf(principal);
  return { actorType: actor.type, actorId: actor.id, onBehalfOf: onBehalfOf(principal) };
}
