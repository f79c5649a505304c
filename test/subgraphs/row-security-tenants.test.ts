// Row-level security on the tenant data of the privilege store and of integrations: the stores asked directly, with
// no resolver and no shield rule in front, still read and change only what the caller's organisation allows —
// because their queries run as the application role with the caller in the transaction, and the policies decide.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../access/principal.ts';
import { DEMO_INTEGRATIONS, DEMO_ORGS, DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import { IntegrationsStore } from '../../subgraphs/integrations/store.ts';
import { OrganizationsStore } from '../../subgraphs/organizations/store.ts';
import { OrganizationsWriter } from '../../subgraphs/organizations/store/writes.ts';
import { callerScoped } from '../../subgraphs/runtime/caller-scope.ts';
import type { Db } from '../../db/database.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const person = (pid: string): Principal => ({ kind: 'person', pid, acr: 'idporten-loa-substantial' });
const KARI = person(DEMO_PERSONS.kari.pid); // administers Fjordvik
const HANS = person(DEMO_PERSONS.hans.pid); // administers Heiberg
const PER = person(DEMO_PERSONS.per.pid); // one narrow privilege in Fjordvik
const OPERATOR = person(DEMO_PERSONS.operator.pid); // platform operator, member of no organisation
const CASE_SYSTEM: Principal = {
  kind: 'integration',
  integrationId: DEMO_INTEGRATIONS.fjordvikCaseSystem.id,
  orgnr: DEMO_ORGS.vendor.orgnr,
};
const FJ = DEMO_ORGS.fjordvik.orgnr;
const HB = DEMO_ORGS.heiberg.orgnr;
/** A synthetic person who holds nothing anywhere. */
const OUTSIDER = '03928127809';

/** Runs fn in one transaction as the caller; rolled back, so each test starts from the demo data. */
async function asCaller<T>(
  db: Db,
  principal: Principal,
  fn: (tx: OrganizationsWriter) => Promise<T>,
): Promise<T> {
  const rollback = new Error('rollback');
  let result: T | undefined;
  await callerScoped(db, principal)
    .transaction(async (tx) => {
      result = await fn(new OrganizationsWriter(tx));
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  return result as T;
}

describe('organizations / row-level security', () => {
  let platform: TestPlatform;
  const storeFor = (principal: Principal) => new OrganizationsStore(callerScoped(platform.db, principal));
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(() => platform.stop());

  it("hides another organisation's resource tree, whatever the query asks", async () => {
    // resources() filters on nothing but the organisation number: what is missing below, the policies removed.
    const owner = new OrganizationsStore(platform.db);
    expect((await owner.resources(FJ)).length).toBe(4);
    expect(await storeFor(HANS).resources(FJ)).toEqual([]);
    expect(await storeFor(HANS).resource(DEMO_RESOURCES.fjordvikSvarUt)).toBeNull();
    expect(await storeFor(HANS).descendants(DEMO_RESOURCES.fjordvikRoot)).toEqual([]);
    expect(ids(await storeFor(KARI).resources(FJ))).toEqual(ids(await owner.resources(FJ)));
    // Membership by one narrow privilege is membership: Per sees the tree (the resolvers decide the rest).
    expect((await storeFor(PER).resources(FJ)).length).toBe(4);
    expect(await storeFor(person(OUTSIDER)).resources(HB)).toEqual([]);
  });

  it("hides another organisation's grants and type grants, even from a raw select", async () => {
    const scoped = callerScoped(platform.db, HANS);
    const grantOrgs = await scoped.query<{ orgnr: string }>(
      'select distinct orgnr from organizations.privilege_grant',
    );
    expect(grantOrgs.map((r) => r.orgnr)).toEqual([HB]);
    expect(await storeFor(HANS).grants.on(DEMO_RESOURCES.fjordvikRoot)).toEqual([]);
    expect(await storeFor(HANS).grants.toIntegrationsIn(FJ)).toEqual([]);
    expect(await storeFor(HANS).grants.whoMay('SVARUT.SEND', DEMO_RESOURCES.fjordvikSvarUt)).toEqual([]);
    // The case system's SVARUT.SEND and DOKUMENTLAGER.UPLOAD.
    expect((await storeFor(KARI).grants.toIntegrationsIn(FJ)).length).toBe(2);
    // The operator list is not the application role's to read at all.
    await expect(scoped.query('select * from organizations.platform_operator')).rejects.toMatchObject({
      code: '42501',
    });
  });

  it('shows every caller the public register data: organisation number and name', async () => {
    expect(await storeFor(HANS).organization(FJ)).toEqual({ orgnr: FJ, name: DEMO_ORGS.fjordvik.name });
  });

  it("refuses to write a grant or a resource into another organisation's tree", async () => {
    const grant = {
      orgnr: FJ,
      actorType: 'PERSON' as const,
      actorId: OUTSIDER,
      privilege: 'ADMIN',
      resourceId: DEMO_RESOURCES.fjordvikRoot,
    };
    await expect(asCaller(platform.db, HANS, (tx) => tx.insertGrant(grant))).rejects.toMatchObject({
      code: '42501',
    });
    // Per holds a privilege in Fjordvik but administers nothing: a member may not grant.
    await expect(asCaller(platform.db, PER, (tx) => tx.insertGrant(grant))).rejects.toMatchObject({
      code: '42501',
    });
    // Kari administers Fjordvik, but a resource hung on Fjordvik's tree must belong to Fjordvik.
    const stray = { orgnr: HB, parentId: DEMO_RESOURCES.fjordvikRoot, type: 'AVDELING', name: 'Avvik' };
    await expect(asCaller(platform.db, KARI, (tx) => tx.insertResource(stray))).rejects.toMatchObject({
      code: '42501',
    });
    // The same writes by the organisation's administrator pass the policies.
    expect((await asCaller(platform.db, KARI, (tx) => tx.insertGrant(grant)))?.actorId).toBe(OUTSIDER);
    expect(
      (await asCaller(platform.db, KARI, (tx) => tx.insertResource({ ...stray, orgnr: FJ }))).orgnr,
    ).toBe(FJ);
  });

  it('revokes nothing in another organisation: the row is not there for the caller', async () => {
    const [hansGrant] = await new OrganizationsStore(platform.db).grants.on(DEMO_RESOURCES.heibergRoot);
    expect(await asCaller(platform.db, KARI, (tx) => tx.deleteGrant(hansGrant!.id))).toBeNull();
    expect(await new OrganizationsStore(platform.db).grants.grant(hansGrant!.id)).not.toBeNull();
  });

  it('creates an organisation only for a platform operator', async () => {
    const org = { orgnr: '955000005', name: 'Radnivå kommune' };
    await expect(
      asCaller(platform.db, KARI, (tx) => tx.insertOrganization(org, OUTSIDER)),
    ).rejects.toMatchObject({ code: '42501' });
    const created = await asCaller(platform.db, OPERATOR, (tx) => tx.insertOrganization(org, OUTSIDER));
    expect(created?.administrator).toMatchObject({ actorId: OUTSIDER, privilege: 'ADMIN', orgnr: org.orgnr });
    expect(created?.root.parentId).toBeNull();
  });
});

describe('integrations / row-level security', () => {
  let platform: TestPlatform;
  const storeFor = (principal: Principal) => new IntegrationsStore(callerScoped(platform.db, principal));
  const { fjordvikCaseSystem: caseSystem, innsyn } = DEMO_INTEGRATIONS;

  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(() => platform.stop());

  it("hides another organisation's integrations, whatever the query asks", async () => {
    expect((await new IntegrationsStore(platform.db).ownedBy(FJ)).length).toBe(1);
    expect(await storeFor(HANS).ownedBy(FJ)).toEqual([]);
    expect(await storeFor(HANS).integration(caseSystem.id)).toBeNull();
    expect(await storeFor(PER).integration(caseSystem.id)).toBeNull();
    expect((await storeFor(KARI).ownedBy(FJ)).map((i) => i.id)).toEqual([caseSystem.id]);
  });

  it('shows an integration itself, and a global one to administrators only', async () => {
    expect((await storeFor(CASE_SYSTEM).integration(caseSystem.id))?.id).toBe(caseSystem.id);
    expect(await storeFor(CASE_SYSTEM).integration(innsyn.id)).toBeNull();
    expect((await storeFor(KARI).integration(innsyn.id))?.global).toBe(true);
    expect(await storeFor(PER).integration(innsyn.id)).toBeNull();
  });

  it("changes no other organisation's integration", async () => {
    expect(await storeFor(HANS).setEnabled(caseSystem.id, false)).toBe(false);
    expect(await storeFor(HANS).setPasswordHash(caseSystem.id, 'scrypt$not-a-real-hash')).toBe(false);
    expect((await new IntegrationsStore(platform.db).integration(caseSystem.id))?.enabled).toBe(true);
  });

  it('never lets the application role read a password hash or move an integration to another owner', async () => {
    const scoped = callerScoped(platform.db, KARI);
    await expect(scoped.query('select password_hash from integrations.integration')).rejects.toMatchObject({
      code: '42501',
    });
    await expect(
      scoped.query('update integrations.integration set owner_orgnr = $1 where id = $2', [HB, caseSystem.id]),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('refuses to create an integration owned by an organisation the caller does not administer', async () => {
    const row = { name: 'Avvik', description: null, ownerOrgnr: FJ, authorizedOrgnr: HB, passwordHash: 'x' };
    await expect(storeFor(HANS).create(row)).rejects.toMatchObject({ code: '42501' });
  });
});
