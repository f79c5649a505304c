// Whom the documents subgraph's rows with @personalData fields are about (runtime/personal-data.ts): the persons a
// document is exposed to, whose title and exposure list name them.
import type { PersonalDataOwners } from '../runtime/personal-data.ts';
import type { DocumentRow, Exposure } from './store.ts';

type ExposureOf = Exposure & { documentId: string; orgnr: string; exposures: Exposure[] };

/** A document shown through an AUTHORIZATION exposure (privilege@resource) is read under the grant on that resource. */
function authorizedThrough(exposures: readonly Exposure[]): string[] {
  return exposures
    .filter((e) => e.kind === 'AUTHORIZATION')
    .map((e) => e.value.slice(e.value.indexOf('@') + 1));
}

export const personalData: PersonalDataOwners = {
  Document: {
    subjects: (row: DocumentRow) => row.exposures.filter((e) => e.kind === 'PERSON').map((e) => e.value),
    resource: (row: DocumentRow) => ({
      type: 'Document',
      id: row.id,
      orgnr: row.orgnr,
      resourceIds: authorizedThrough(row.exposures),
    }),
  },
  Exposure: {
    subjects: (row: ExposureOf) => (row.kind === 'PERSON' ? [row.value] : []),
    resource: (row: ExposureOf) => ({
      type: 'Document',
      id: row.documentId,
      orgnr: row.orgnr,
      resourceIds: authorizedThrough(row.exposures),
    }),
  },
};
