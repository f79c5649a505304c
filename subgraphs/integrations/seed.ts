import { DEMO_INTEGRATIONS } from '../../common/demo-identities.ts';
import type { IntegrationsStore } from './store.ts';

export async function seed(store: IntegrationsStore): Promise<void> {
  const { fjordvikCaseSystem: caseSystem, innsyn } = DEMO_INTEGRATIONS;
  await store.upsert({
    id: caseSystem.id,
    name: caseSystem.name,
    description: 'Leverandørens saksystem, opprettet av Fjordvik kommune',
    ownerOrgnr: caseSystem.owner,
    authorizedOrgnr: caseSystem.authorized,
    global: false,
  });
  await store.upsert({
    id: innsyn.id,
    name: innsyn.name,
    description: 'Global integrasjon: synlig for alle organisasjoner, uten tilgang før den er gitt',
    ownerOrgnr: innsyn.owner,
    authorizedOrgnr: innsyn.authorized,
    global: true,
  });
}
