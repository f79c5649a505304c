// Synthetic demo data: one platform operator, three organisations, a small resource tree and the grants the demo
// persons hold.
import { DEMO_INTEGRATIONS, DEMO_ORGS, DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import type { OrganizationsStore } from './store.ts';

export async function seed(store: OrganizationsStore): Promise<void> {
  await store.upsertPlatformOperator({ type: 'PERSON', id: DEMO_PERSONS.operator.pid });
  await store.upsertOrganization(DEMO_ORGS.fjordvik, DEMO_RESOURCES.fjordvikRoot);
  await store.upsertOrganization(DEMO_ORGS.heiberg, DEMO_RESOURCES.heibergRoot);
  await store.upsertOrganization(DEMO_ORGS.vendor, DEMO_RESOURCES.vendorRoot);
  const fjordvik = DEMO_ORGS.fjordvik.orgnr;
  await store.upsertResource({
    id: DEMO_RESOURCES.fjordvikSvarUt,
    orgnr: fjordvik,
    parentId: DEMO_RESOURCES.fjordvikRoot,
    type: 'SVARUT.KONTO',
    name: 'SvarUt-konto Fjordvik',
  });
  await store.upsertResource({
    id: DEMO_RESOURCES.fjordvikOppvekst,
    orgnr: fjordvik,
    parentId: DEMO_RESOURCES.fjordvikRoot,
    type: 'AVDELING',
    name: 'Oppvekst',
  });
  await store.upsertResource({
    id: DEMO_RESOURCES.fjordvikDocuments,
    orgnr: fjordvik,
    parentId: DEMO_RESOURCES.fjordvikRoot,
    type: 'DOKUMENTLAGER.KONTO',
    name: 'Dokumentlager-konto Fjordvik',
  });
  const grants = [
    { actorId: DEMO_PERSONS.kari.pid, privilege: 'ADMIN', resourceId: DEMO_RESOURCES.fjordvikRoot },
    { actorId: DEMO_PERSONS.siri.pid, privilege: 'ADMIN', resourceId: DEMO_RESOURCES.fjordvikSvarUt },
    { actorId: DEMO_PERSONS.per.pid, privilege: 'SVARUT.SEND', resourceId: DEMO_RESOURCES.fjordvikOppvekst },
  ];
  for (const g of grants) await store.upsertGrant({ orgnr: fjordvik, actorType: 'PERSON', ...g });
  await store.upsertGrant({
    orgnr: fjordvik,
    actorType: 'INTEGRATION',
    actorId: DEMO_INTEGRATIONS.fjordvikCaseSystem.id,
    privilege: 'SVARUT.SEND',
    resourceId: DEMO_RESOURCES.fjordvikSvarUt,
  });
  // The case system sends letters to citizens through the document store (README, "Documents").
  await store.upsertGrant({
    orgnr: fjordvik,
    actorType: 'INTEGRATION',
    actorId: DEMO_INTEGRATIONS.fjordvikCaseSystem.id,
    privilege: 'DOKUMENTLAGER.UPLOAD',
    resourceId: DEMO_RESOURCES.fjordvikDocuments,
    legalBasis: 'Utsending av vedtak til parten (syntetisk demo)',
  });
  await store.upsertGrant({
    orgnr: DEMO_ORGS.heiberg.orgnr,
    actorType: 'PERSON',
    actorId: DEMO_PERSONS.hans.pid,
    privilege: 'ADMIN',
    resourceId: DEMO_RESOURCES.heibergRoot,
  });
}
