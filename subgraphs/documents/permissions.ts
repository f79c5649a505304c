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
/** Who may be shown a document at some login level: those it is exposed to, and the holding organisation's
 * administrators. The resolvers ask this to tell a step-up apart from a document that is not the caller's. */
export const mayBeShownDocument = any(exposedToCaller, hasPrivilegeIn('ADMIN', fromParent('orgnr')));
/** Who sees a document now: the field rule below, and the resolvers' lookups (runtime/visibility.ts). */
export const seesDocument = all(mayBeShownDocument, meetsSecurityLevel(fromParent('securityLevel')));

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
