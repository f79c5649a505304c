// Who may see a document: those it is exposed to (Dokumentlager's eksponertFor), and the administrators of the
// organisation whose account holds it (metadata only; content, when it comes, only for those it is exposed to) —
// each only with a login that meets the document's security level (level 4: idporten-loa-high).
import { all, any, check } from '../../access/policy.ts';
import { fromParent, hasPrivilegeIn, isAuthenticated, meetsSecurityLevel } from '../../access/rules.ts';
import type { PermissionMap } from '../../access/permission-map.ts';
import { isExposedTo } from './exposure.ts';

const exposedToCaller = check(
  'isExposedTo',
  (input) => isExposedTo(input.parent, input.principal, input.access),
  {
    needsParent: true,
  },
);
const seesDocument = all(
  any(exposedToCaller, hasPrivilegeIn('ADMIN', fromParent('orgnr'))),
  meetsSecurityLevel(fromParent('securityLevel')),
);

export const permissions: PermissionMap = {
  Query: {
    // The resolver answers null for a document the caller may not see, as for one that does not exist.
    document: isAuthenticated,
  },
  Document: {
    id: seesDocument,
    title: seesDocument,
    mimeType: seesDocument,
    sizeBytes: seesDocument,
    securityLevel: seesDocument,
    organization: seesDocument,
    exposedTo: seesDocument,
    createdAt: seesDocument,
  },
  // Reached only through Document.exposedTo, which is guarded.
  Exposure: {
    kind: isAuthenticated,
    value: isAuthenticated,
  },
  Organization: {
    orgnr: isAuthenticated,
    documents: hasPrivilegeIn('ADMIN', fromParent('orgnr')),
  },
};
