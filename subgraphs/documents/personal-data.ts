// Whom the documents subgraph's rows with @personalData fields are about (runtime/personal-data.ts): the persons a
// document is exposed to, whose title and exposure list name them.
import type { PersonalDataOwners } from '../runtime/personal-data.ts';
import type { DocumentRow, Exposure } from './store.ts';

type ExposureOf = Exposure & { documentId: string; orgnr: string };

export const personalData: PersonalDataOwners = {
  Document: {
    subjects: (row: DocumentRow) => row.exposures.filter((e) => e.kind === 'PERSON').map((e) => e.value),
    resource: (row: DocumentRow) => ({ type: 'Document', id: row.id, orgnr: row.orgnr }),
  },
  Exposure: {
    subjects: (row: ExposureOf) => (row.kind === 'PERSON' ? [row.value] : []),
    resource: (row: ExposureOf) => ({ type: 'Document', id: row.documentId, orgnr: row.orgnr }),
  },
};
