// Row-level security as a second wall: the documents store asked directly, with no resolver and none of its
// filters, still returns only what the caller may see — because its queries run as the application role with the
// caller in the transaction, and the policies decide.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../access/principal.ts';
import { DEMO_DOCUMENTS, DEMO_INTEGRATIONS, DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { AuditStore } from '../../subgraphs/audit/store.ts';
import { DocumentsStore } from '../../subgraphs/documents/store.ts';
import { callerScoped } from '../../subgraphs/runtime/caller-scope.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

// Logged in high, so that only exposure decides here; the security level is row-security-level.test.ts's.
const person = (pid: string, actingFor?: string, roles = ['DAGL', 'A0236']): Principal => ({
  kind: 'person',
  pid,
  acr: 'idporten-loa-high',
  ...(actingFor ? { actingFor: { orgnr: actingFor, roles } } : {}),
});

describe('documents / row-level security', () => {
  let platform: TestPlatform;
  const storeFor = (principal: Principal) => new DocumentsStore(callerScoped(platform.db, principal));
  const titles = async (principal: Principal) =>
    (await storeFor(principal).heldBy(DEMO_ORGS.fjordvik.orgnr)).map((d) => d.id).sort();

  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(() => platform.stop());

  it('lets the database, not the resolver, hide another organisation’s documents', async () => {
    // heldBy filters on nothing but the organisation number: any filtering below is the policies' doing.
    const everything = (await new DocumentsStore(platform.db).heldBy(DEMO_ORGS.fjordvik.orgnr)).length;
    expect(everything).toBe(4);
    expect(await titles(person(DEMO_PERSONS.hans.pid))).toEqual([]);
    expect(
      await storeFor(person(DEMO_PERSONS.hans.pid)).document(DEMO_DOCUMENTS.kindergartenDecision),
    ).toBeNull();
  });

  it('shows the holding organisation’s administrator all of its documents', async () => {
    expect((await titles(person(DEMO_PERSONS.kari.pid))).length).toBe(4);
  });

  it('shows each other caller exactly what is exposed to them', async () => {
    expect(await titles(person(DEMO_PERSONS.ola.pid))).toEqual(
      [DEMO_DOCUMENTS.kindergartenDecision, DEMO_DOCUMENTS.socialAssistance].sort(),
    );
    expect(await titles(person(DEMO_PERSONS.liv.pid, DEMO_ORGS.vendor.orgnr))).toEqual([
      DEMO_DOCUMENTS.buildingPermit,
    ]);
    // An ORGANIZATION exposure opens for Altinn's Post/arkiv there (A0236), not for any role (FIKS-FACTS §6).
    expect(await titles(person(DEMO_PERSONS.liv.pid, DEMO_ORGS.vendor.orgnr, ['DAGL']))).toEqual([]);
    // Siri administers the SvarUt account, so holds SVARUT.SEND there: the AUTHORIZATION exposure.
    expect(await titles(person(DEMO_PERSONS.siri.pid))).toEqual([DEMO_DOCUMENTS.buildingPermit]);
    const integration: Principal = {
      kind: 'integration',
      integrationId: DEMO_INTEGRATIONS.fjordvikCaseSystem.id,
      orgnr: DEMO_ORGS.vendor.orgnr,
    };
    expect(await titles(integration)).toEqual(
      [DEMO_DOCUMENTS.buildingPermit, DEMO_DOCUMENTS.caseFile].sort(),
    );
  });

  it('hides who a document is exposed to along with the document', async () => {
    // Per holds one privilege, on a department no document is exposed to.
    const scoped = callerScoped(platform.db, person(DEMO_PERSONS.per.pid));
    expect(await scoped.query('select * from documents.exposure')).toEqual([]);
    expect((await platform.db.query('select * from documents.exposure')).length).toBeGreaterThan(0);
  });
});

describe('audit / row-level security', () => {
  let platform: TestPlatform;
  const EVENT = 'e0000000-0000-4000-8000-0000000000aa';
  beforeAll(async () => {
    platform = await startTestPlatform();
    // An event about Ola in Fjordvik, written as the owner (as audit.append_event does).
    await new AuditStore(platform.db).append({
      id: EVENT,
      actorType: 'PERSON',
      actorId: DEMO_PERSONS.per.pid,
      orgnr: DEMO_ORGS.fjordvik.orgnr,
      service: 'documents',
      action: 'DOCUMENT_READ',
      dataSubject: DEMO_PERSONS.ola.pid,
    });
  });
  afterAll(() => platform.stop());
  const storeFor = (principal: Principal) => new AuditStore(callerScoped(platform.db, principal));

  it('shows an organisation’s log only to its administrators, whatever the query asks', async () => {
    const all = await new AuditStore(platform.db).forOrganization(DEMO_ORGS.fjordvik.orgnr, 50);
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(
      await storeFor(person(DEMO_PERSONS.hans.pid)).forOrganization(DEMO_ORGS.fjordvik.orgnr, 50),
    ).toEqual([]);
    expect(
      await storeFor(person(DEMO_PERSONS.per.pid)).forOrganization(DEMO_ORGS.fjordvik.orgnr, 50),
    ).toEqual([]);
    expect(
      await storeFor(person(DEMO_PERSONS.kari.pid)).forOrganization(DEMO_ORGS.fjordvik.orgnr, 50),
    ).toHaveLength(all.length);
  });

  it('shows the person an event is about that event, and no other', async () => {
    const ola = storeFor(person(DEMO_PERSONS.ola.pid));
    expect((await ola.event(EVENT))?.action).toBe('DOCUMENT_READ');
    expect((await ola.forOrganization(DEMO_ORGS.fjordvik.orgnr, 50)).map((e) => e.id)).toEqual([EVENT]);
  });
});
