import { DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import type { AuditStore } from './store.ts';

/** One event that shows the shape: the organisation's first administrator being appointed. */
export async function seed(store: AuditStore): Promise<void> {
  await store.append({
    id: 'e0000000-0000-4000-8000-000000000001',
    actorType: 'PLATFORM',
    actorId: 'seed',
    orgnr: DEMO_ORGS.fjordvik.orgnr,
    service: 'organizations',
    action: 'ADMINISTRATOR_APPOINTED',
    dataSubject: DEMO_PERSONS.kari.pid,
    payload: { privilege: 'ADMIN' },
  });
}
