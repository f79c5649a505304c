// Who may read the audit log: the administrators of the organisation (seed: "gjøres tilgjengelig for administrator i
// Fiks-organisasjonen") and the holders of AUDIT.READ on its root, and the person an event is about.
import { any, check, type Policy } from '../../access/policy.ts';
import {
  fromArgs,
  fromParent,
  hasPrivilegeIn,
  isAuthenticated,
  isDataSubject,
  isPerson,
  isPlatformOperator,
  type From,
} from '../../access/rules.ts';
import type { PermissionMap } from '../../access/permission-map.ts';

/** Reads the organisation's log: ADMIN or AUDIT.READ on its root (holding ADMIN holds every privilege). */
export const readsLogOf = (orgnr: From) => hasPrivilegeIn('AUDIT.READ', orgnr);

/** The search, the report and the export (export.ts): the organisation named by the `orgnr` argument. */
export const readsLogOfArgs = readsLogOf(fromArgs('orgnr'));

/** Who sees an event: the field rule below, and the resolvers' by-id and entity lookups (runtime/visibility.ts). */
export const seesEvent = any(readsLogOf(fromParent('orgnr')), isDataSubject(fromParent('dataSubject')));

/** An integration calling with a person's own ID-porten token acts for that person (FIKS-FACTS §1). */
const isIntegrationForPerson = check(
  'isIntegrationForPerson',
  ({ principal }) => principal.kind === 'integration' && principal.onBehalfOf !== undefined,
  { needsParent: false },
);

/** The person an access-log entry is about is the caller, or the person the calling integration acts for. */
const isEntryOfCaller = check(
  'isEntryOfCaller',
  ({ principal, parent }) => {
    const subject = (parent as { dataSubject?: unknown } | undefined)?.dataSubject;
    const pid = principal.kind === 'person' ? principal.pid : principal.onBehalfOf?.pid;
    return typeof subject === 'string' && pid !== undefined && subject === pid;
  },
  { needsParent: true },
);

/** The pages and report rows carry the organisation they were read from (`orgnr`), never shown. */
const readsPageOrg = readsLogOf(fromParent('orgnr'));

export const permissions: PermissionMap = {
  Query: {
    // The resolver answers null for an event the caller may not see, as for one that does not exist.
    auditEvent: isAuthenticated,
    auditLog: readsLogOfArgs,
    snoopingReport: readsLogOfArgs,
    myAccessLog: any(isPerson, isIntegrationForPerson),
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
  AuditLogPage: { events: readsPageOrg, nextCursor: readsPageOrg },
  SnoopingReport: { from: readsPageOrg, to: readsPageOrg, threshold: readsPageOrg, actors: readsPageOrg },
  SnoopingActor: {
    actorType: readsPageOrg,
    actorId: readsPageOrg,
    distinctPersons: readsPageOrg,
    reads: readsPageOrg,
    flagged: readsPageOrg,
  },
  AccessLogPage: { entries: isEntryOfCaller, nextCursor: isEntryOfCaller },
  AccessLogEntry: {
    eventId: isEntryOfCaller,
    occurredAt: isEntryOfCaller,
    organization: isEntryOfCaller,
    actorType: isEntryOfCaller,
    actorName: isEntryOfCaller,
    integrationId: isEntryOfCaller,
    service: isEntryOfCaller,
    action: isEntryOfCaller,
    resourceType: isEntryOfCaller,
    resourceId: isEntryOfCaller,
    fields: isEntryOfCaller,
    legalBasis: isEntryOfCaller,
  },
  Organization: {
    orgnr: isAuthenticated,
    auditEvents: readsLogOf(fromParent('orgnr')),
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
