// Who may see what of a document (issue #11 item 5). Those it is exposed to (Dokumentlager's eksponertFor) see all of
// it, the title and the content included. The uploader, the account's uploaders (DOKUMENTLAGER.UPLOAD on it) and the
// holding organisation's administrators see its metadata and delivery status — that it was delivered, whether and
// when it was read, whether it was deleted — never the title or the content. Everyone only with a login that meets
// the document's security level (level 4: idporten-loa-high).
import { all, any, check } from '../../access/policy.ts';
import {
  fromArgs,
  fromParent,
  hasPrivilege,
  hasPrivilegeIn,
  isAuthenticated,
  isPerson,
  isTheActor,
  meetsSecurityLevel,
} from '../../access/rules.ts';
import type { PermissionMap } from '../../access/permission-map.ts';
import { isExposedTo } from './exposure.ts';

const UPLOAD = 'DOKUMENTLAGER.UPLOAD';

const exposedToCaller = check(
  'isExposedTo',
  (input) => isExposedTo(input.parent, input.principal, input.access),
  {
    needsParent: true,
  },
);
const level = meetsSecurityLevel(fromParent('securityLevel'));
/** Exposed to the caller, whatever the login: the content door tells a step-up apart from a refusal with it. */
export const mayHaveContent = exposedToCaller;

/** Who may be shown a document's metadata at some login level. The resolvers ask this to tell a step-up apart from
 * a document that is not the caller's. */
export const mayBeShownDocument = any(
  exposedToCaller,
  isTheActor(fromParent('uploader', 'type'), fromParent('uploader', 'id')),
  hasPrivilege(UPLOAD, fromParent('accountId')),
  hasPrivilegeIn('ADMIN', fromParent('orgnr')),
);
/** Who sees a document's metadata now: the field rule below, and the resolvers' lookups (runtime/visibility.ts). */
export const seesDocument = all(mayBeShownDocument, level);
/** Who may have the title and the content: those it is exposed to, at its level. The content service asks this
 * before it unwraps a data key (content-service.ts); row-level security asks the same of the key's row. */
export const seesContent = all(exposedToCaller, level);

export const permissions: PermissionMap = {
  Query: {
    // The resolver answers null for a document the caller may not see, as for one that does not exist.
    document: isAuthenticated,
    myDocuments: isPerson,
    myDocumentStorage: isPerson,
    documentsByCorrelationId: hasPrivilege(UPLOAD, fromArgs('accountId')),
  },
  Mutation: {
    startDocumentUpload: hasPrivilege(UPLOAD, fromArgs('input', 'accountId')),
    // The resolvers decide with the document in hand (seesContent; the deletion rules in documents.destroy_content).
    startDocumentDownload: isAuthenticated,
    deleteDocument: isAuthenticated,
    optOutOfDocumentStorage: isPerson,
    optInToDocumentStorage: isPerson,
  },
  Document: {
    id: seesDocument,
    title: seesContent,
    mimeType: seesDocument,
    sizeBytes: seesDocument,
    sha256: seesDocument,
    securityLevel: seesDocument,
    organization: seesDocument,
    accountId: seesDocument,
    correlationId: seesDocument,
    exposedTo: seesDocument,
    createdAt: seesDocument,
    availableUntil: seesDocument,
    readAt: seesDocument,
    deletedAt: seesDocument,
    deletedBy: seesDocument,
  },
  // Reached only through Document.exposedTo, which is guarded.
  Exposure: {
    kind: isAuthenticated,
    value: isAuthenticated,
  },
  // Answers of this subgraph's own mutations to their caller.
  ContentLink: { documentId: isAuthenticated, path: isAuthenticated, expiresAt: isAuthenticated },
  DeletedDocument: { id: isAuthenticated, contentDestroyed: isAuthenticated },
  DocumentStoragePreference: { optedOut: isPerson, since: isPerson },
  Organization: {
    orgnr: isAuthenticated,
    documents: hasPrivilegeIn('ADMIN', fromParent('orgnr')),
  },
};
