// Who may read the audit log: the administrators of the organisation (seed: "gjøres tilgjengelig for administrator i
// Fiks-organisasjonen"), and the person an event is about.
import { any, type Policy } from '../../access/policy.ts';
import {
  fromParent,
  hasPrivilegeIn,
  isAuthenticated,
  isDataSubject,
  isPlatformOperator,
} from '../../access/rules.ts';
import type { PermissionMap } from '../../access/permission-map.ts';

/** Who sees an event: the field rule below, and the resolvers' by-id and entity lookups (runtime/visibility.ts). */
export const seesEvent = any(
  hasPrivilegeIn('ADMIN', fromParent('orgnr')),
  isDataSubject(fromParent('dataSubject')),
);

export const permissions: PermissionMap = {
  Query: {
    // The resolver answers null for an event the caller may not see, as for one that does not exist.
    auditEvent: isAuthenticated,
    // The tamper-evident log (docs/AUDIT-LOG.md): verification is the operators'. A proof is null for an event the
    // caller may not see; the key is public.
    auditLogVerification: isPlatformOperator,
    auditEventProof: isAuthenticated,
    auditLogKey: isAuthenticated,
  },
  AuditEvent: {
    id: seesEvent,
    occurredAt: seesEvent,
    actorType: seesEvent,
    actorId: seesEvent,
    onBehalfOf: seesEvent,
    organization: seesEvent,
    service: seesEvent,
    action: seesEvent,
    dataSubject: seesEvent,
    legalBasis: seesEvent,
    requestId: seesEvent,
    payload: seesEvent,
  },
  Organization: {
    orgnr: isAuthenticated,
    auditEvents: hasPrivilegeIn('ADMIN', fromParent('orgnr')),
  },
  ...tamperEvidence(),
};

/** The tamper-evident log's types: verification is the operators'; a proof is its event's readers'; checkpoints and
 * the key hold nothing but hashes and a public key, so any caller may have them. */
function tamperEvidence(): PermissionMap {
  const fields = (names: string[], policy: Policy) => Object.fromEntries(names.map((name) => [name, policy]));
  return {
    AuditLogVerification: fields(
      [
        'ok',
        'treeSize',
        'leaves',
        'checkpoints',
        'witnessLines',
        'uncommittedWitnessLines',
        'prunedEvents',
        'pendingEvents',
        'problemCount',
        'problems',
        'firstMismatch',
      ],
      isPlatformOperator,
    ),
    AuditLogProblem: fields(['code', 'message', 'leafIndex', 'eventId', 'treeSize'], isPlatformOperator),
    // The proof carries its event's organisation and subject, so the event's own rule applies to it.
    AuditEventProof: fields(
      [
        'canonicalEvent',
        'leafIndex',
        'auditPath',
        'checkpoint',
        'actorId',
        'onBehalfOf',
        'dataSubject',
        'payload',
      ],
      seesEvent,
    ),
    AuditCheckpoint: fields(
      ['treeSize', 'rootHash', 'issuedAt', 'keyId', 'signature', 'signedContent'],
      isAuthenticated,
    ),
    AuditLogKey: fields(['keyId', 'publicKey'], isAuthenticated),
  };
}
