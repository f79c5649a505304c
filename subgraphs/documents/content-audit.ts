// The audit events of moving content (issue #11 items 4 and 7; the audit log of #10): who uploaded a document for
// whom, and who read whose document's content, through which exposure, under which legal basis. One event per person
// the document is about, so each sees it in their own access log (Query.myAccessLog).
import type { AuditEventInput } from '../runtime/audit.ts';
import type { SubgraphContext } from '../runtime/types.ts';
import type { StoredContent } from './content-service.ts';
import { matchingExposures, personsOf } from './exposure.ts';
import type { DocumentRow, DocumentsStore, PendingDocument } from './store.ts';

type Ctx = SubgraphContext<DocumentsStore>;

/** One event per person the document is about (each sees it in their access log), or one about nobody. */
export function perSubject(
  subjects: readonly string[],
  event: Omit<AuditEventInput, 'dataSubject'>,
): AuditEventInput[] {
  if (subjects.length === 0) return [{ ...event, dataSubject: null }];
  return subjects.map((dataSubject) => ({ ...event, dataSubject }));
}

export function uploadAuditEvents(
  documentId: string,
  pending: PendingDocument,
  content: StoredContent,
): AuditEventInput[] {
  return perSubject(personsOf(pending.exposures), {
    orgnr: pending.orgnr,
    action: 'DOCUMENT_UPLOADED',
    payload: {
      documentId,
      accountId: pending.accountId,
      sizeBytes: content.sizeBytes,
      sha256: content.sha256,
      securityLevel: pending.securityLevel,
      exposedTo: pending.exposures.map((e) => e.kind),
    },
  });
}

/**
 * The events of reading a document's content, or NO_LEGAL_BASIS when the reader reaches a person's document only
 * through a grant (an AUTHORIZATION exposure) that carries no legal basis: a caseworker reads a citizen's document
 * only under an explicit grant with one (item 7). A reader the document is exposed to by name (the person, an
 * integration, an organisation's Post/arkiv) was chosen by the sender and needs none.
 */
export async function readAuditEvents(
  ctx: Ctx,
  document: DocumentRow,
  range: { start: number; end: number } | null,
): Promise<AuditEventInput[] | 'NO_LEGAL_BASIS'> {
  const subjects = personsOf(document.exposures);
  const matched = await matchingExposures(document.exposures, ctx.principal, ctx.access);
  const named = matched.find((e) => e.kind !== 'AUTHORIZATION');
  let legalBasis: string | null = null;
  if (!named && subjects.length > 0) {
    for (const exposure of matched) {
      const resourceId = exposure.value.slice(exposure.value.indexOf('@') + 1);
      legalBasis = await ctx.access.legalBasis({ resourceId });
      if (legalBasis) break;
    }
    if (!legalBasis) return 'NO_LEGAL_BASIS';
  }
  return perSubject(subjects, {
    orgnr: document.orgnr,
    action: 'DOCUMENT_CONTENT_READ',
    legalBasis,
    payload: {
      documentId: document.id,
      via: (named ?? matched[0])?.kind ?? null,
      ...(range ? { range: `${range.start}-${range.end}` } : {}),
    },
  });
}
