import {
  DEMO_DOCUMENTS,
  DEMO_INTEGRATIONS,
  DEMO_ORGS,
  DEMO_PERSONS,
  DEMO_RESOURCES,
} from '../../common/demo-identities.ts';
import type { DocumentsStore } from './store.ts';

export async function seed(store: DocumentsStore): Promise<void> {
  const fjordvik = DEMO_ORGS.fjordvik.orgnr;
  await store.upsert(
    {
      id: DEMO_DOCUMENTS.kindergartenDecision,
      orgnr: fjordvik,
      title: 'Vedtak om barnehageplass',
      mimeType: 'application/pdf',
      sizeBytes: 48213,
      securityLevel: 3,
    },
    [{ kind: 'PERSON', value: DEMO_PERSONS.ola.pid }],
  );
  await store.upsert(
    {
      id: DEMO_DOCUMENTS.buildingPermit,
      orgnr: fjordvik,
      title: 'Byggetillatelse, gnr. 12 bnr. 7',
      mimeType: 'application/pdf',
      sizeBytes: 120554,
      securityLevel: 4,
    },
    [
      { kind: 'ORGANIZATION', value: DEMO_ORGS.vendor.orgnr },
      { kind: 'AUTHORIZATION', value: `SVARUT.SEND@${DEMO_RESOURCES.fjordvikSvarUt}` },
    ],
  );
  await store.upsert(
    {
      id: DEMO_DOCUMENTS.caseFile,
      orgnr: fjordvik,
      title: 'Saksframlegg, sak 2026/114',
      mimeType: 'application/pdf',
      sizeBytes: 64120,
      securityLevel: 3,
    },
    [{ kind: 'INTEGRATION', value: DEMO_INTEGRATIONS.fjordvikCaseSystem.id }],
  );
  await store.upsert(
    {
      id: DEMO_DOCUMENTS.socialAssistance,
      orgnr: fjordvik,
      title: 'Vedtak om økonomisk sosialhjelp',
      mimeType: 'application/pdf',
      sizeBytes: 35872,
      securityLevel: 4,
    },
    [{ kind: 'PERSON', value: DEMO_PERSONS.ola.pid }],
  );
  await store.upsert(
    {
      id: DEMO_DOCUMENTS.invoice,
      orgnr: DEMO_ORGS.heiberg.orgnr,
      title: 'Faktura for kommunale avgifter',
      mimeType: 'application/pdf',
      sizeBytes: 20311,
      securityLevel: 3,
    },
    [{ kind: 'PERSON', value: DEMO_PERSONS.ola.pid }],
  );
}
