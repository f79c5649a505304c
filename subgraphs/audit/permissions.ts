// Who may read the audit log: the administrators of the organisation (seed: "gjøres tilgjengelig for administrator i
// Fiks-organisasjonen"), and the person an event is about.
import { any } from '../../access/policy.ts';
import { fromParent, hasPrivilegeIn, isAuthenticated, isDataSubject } from '../../access/rules.ts';
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
};
