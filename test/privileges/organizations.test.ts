// Creating organisations (a platform operator's act), growing their resource tree, and appointing and removing
// administrators (FIKS-FACTS §5): one administrator is set when the organisation is created, administrators appoint
// more for the whole organisation or one service, and the last one cannot be removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGS, DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { APPOINT, asPerson, dataOf, refusalOf, REMOVE, type Headers } from './support.ts';

const CREATE_ORG = `mutation Create($orgnr: String!, $name: String!, $pid: String!) {
  createOrganization(orgnr: $orgnr, name: $name, administratorPid: $pid) { orgnr name }
}`;
const CREATE_RESOURCE = `mutation CreateResource($parentId: ID!, $type: String!, $name: String!) {
  createResource(parentId: $parentId, type: $type, name: $name) { id type name parent { id } organization { orgnr } }
}`;
const ROOT = `query Root($orgnr: String!) { organization(orgnr: $orgnr) { rootResource { id type name grants { actorId privilege } } } }`;

describe('privileges / organisations, resources and administrators', () => {
  let platform: TestPlatform;
  let operator: Headers;
  let kari: Headers;
  let liv: Headers;
  let siri: Headers;
  beforeAll(async () => {
    platform = await startTestPlatform();
    operator = await asPerson(platform, DEMO_PERSONS.operator.pid);
    kari = await asPerson(platform, DEMO_PERSONS.kari.pid);
    liv = await asPerson(platform, DEMO_PERSONS.liv.pid);
    siri = await asPerson(platform, DEMO_PERSONS.siri.pid);
  });
  afterAll(() => platform.stop());

  it('lets a platform operator create an organisation with one administrator on its root', async () => {
    const created = await platform.graphql(
      CREATE_ORG,
      { orgnr: '955000005', name: 'Nyby kommune', pid: DEMO_PERSONS.liv.pid },
      operator,
    );
    expect(dataOf(created)).toEqual({ createOrganization: { orgnr: '955000005', name: 'Nyby kommune' } });
    const root = await platform.graphql(ROOT, { orgnr: '955000005' }, liv);
    expect(dataOf(root)).toEqual({
      organization: {
        rootResource: {
          id: expect.any(String) as string,
          type: 'ORGANISASJON',
          name: 'Nyby kommune',
          grants: [{ actorId: DEMO_PERSONS.liv.pid, privilege: 'ADMIN' }],
        },
      },
    });
    const mine = await platform.graphql('{ organizations { orgnr } }', {}, liv);
    expect(dataOf(mine)).toEqual({ organizations: [{ orgnr: '955000005' }] });
  });

  it('gives the operator no access inside the organisation it created', async () => {
    const root = await platform.graphql(ROOT, { orgnr: '955000005' }, operator);
    expect(refusalOf(root)).toBe('FORBIDDEN');
  });

  it('refuses to create an organisation for anyone but a platform operator, before any subgraph is asked', async () => {
    for (const caller of [kari, await platform.asIntegration()]) {
      const response = await platform.graphql(
        CREATE_ORG,
        { orgnr: '955000013', name: 'Uautorisert kommune', pid: DEMO_PERSONS.kari.pid },
        caller,
      );
      expect(response.status).toBe(403);
      expect(refusalOf(response)).toBe('FORBIDDEN');
    }
    const rows = await platform.db.query('select 1 from organizations.organization where orgnr = $1', [
      '955000013',
    ]);
    expect(rows).toEqual([]);
  });

  it('refuses an invalid organisation number, fødselsnummer or an existing organisation as bad input', async () => {
    const attempts = [
      { orgnr: '955000006', name: 'Feil kontrollsiffer', pid: DEMO_PERSONS.liv.pid },
      { orgnr: '955000021', name: 'Feil fødselsnummer', pid: '12838512312' },
      { orgnr: DEMO_ORGS.fjordvik.orgnr, name: 'Fjordvik igjen', pid: DEMO_PERSONS.liv.pid },
    ];
    for (const variables of attempts) {
      expect(refusalOf(await platform.graphql(CREATE_ORG, variables, operator))).toBe('BAD_USER_INPUT');
    }
  });

  it('lets an administrator create resources beneath theirs and see the subtree', async () => {
    const created = await platform.graphql(
      CREATE_RESOURCE,
      { parentId: DEMO_RESOURCES.fjordvikOppvekst, type: 'AVDELING', name: 'Barnehager' },
      kari,
    );
    const resource = dataOf<{ createResource: { id: string } }>(created).createResource;
    expect(resource).toMatchObject({
      type: 'AVDELING',
      name: 'Barnehager',
      parent: { id: DEMO_RESOURCES.fjordvikOppvekst },
      organization: { orgnr: DEMO_ORGS.fjordvik.orgnr },
    });
    const subtree = await platform.graphql(
      `{ resource(id: "${DEMO_RESOURCES.fjordvikRoot}") { descendants { name } } }`,
      {},
      kari,
    );
    expect(dataOf(subtree)).toEqual({
      resource: {
        descendants: [
          { name: 'Dokumentlager-konto Fjordvik' },
          { name: 'Oppvekst' },
          { name: 'SvarUt-konto Fjordvik' },
          { name: 'Barnehager' },
        ],
      },
    });
  });

  it('refuses creating a resource beneath one the caller does not administer, or a second root', async () => {
    const beside = await platform.graphql(
      CREATE_RESOURCE,
      { parentId: DEMO_RESOURCES.fjordvikOppvekst, type: 'AVDELING', name: 'Ikke min' },
      siri,
    );
    expect(refusalOf(beside)).toBe('FORBIDDEN');
    const root = await platform.graphql(
      CREATE_RESOURCE,
      { parentId: DEMO_RESOURCES.fjordvikRoot, type: 'ORGANISASJON', name: 'Enda en rot' },
      kari,
    );
    expect(refusalOf(root)).toBe('BAD_USER_INPUT');
  });

  it('lets an administrator appoint an organisation administrator, who may then act everywhere in it', async () => {
    const appointed = await platform.graphql(
      APPOINT,
      { resourceId: DEMO_RESOURCES.fjordvikRoot, pid: DEMO_PERSONS.per.pid },
      kari,
    );
    expect(dataOf(appointed)).toEqual({
      appointAdministrator: {
        id: expect.any(String) as string,
        privilege: 'ADMIN',
        actorId: DEMO_PERSONS.per.pid,
      },
    });
    const per = await asPerson(platform, DEMO_PERSONS.per.pid);
    const rootGrants = `{ resource(id: "${DEMO_RESOURCES.fjordvikRoot}") { grants { privilege } } }`;
    expect(dataOf(await platform.graphql(rootGrants, {}, per))).toBeTruthy();
    const removed = await platform.graphql(
      REMOVE,
      { resourceId: DEMO_RESOURCES.fjordvikRoot, pid: DEMO_PERSONS.per.pid },
      kari,
    );
    expect(dataOf(removed)).toEqual({ removeAdministrator: expect.any(String) as string });
    expect(refusalOf(await platform.graphql(rootGrants, {}, per))).toBe('FORBIDDEN');
  });

  it('lets a service administrator appoint administrators for that service only', async () => {
    const forService = await platform.graphql(
      APPOINT,
      { resourceId: DEMO_RESOURCES.fjordvikSvarUt, pid: DEMO_PERSONS.ola.pid },
      siri,
    );
    expect(dataOf(forService)).toMatchObject({ appointAdministrator: { privilege: 'ADMIN' } });
    const forOrganisation = await platform.graphql(
      APPOINT,
      { resourceId: DEMO_RESOURCES.fjordvikRoot, pid: DEMO_PERSONS.ola.pid },
      siri,
    );
    expect(refusalOf(forOrganisation)).toBe('FORBIDDEN');
    // A service administrator's removal is always allowed, even of the only one on that service.
    const removed = await platform.graphql(
      REMOVE,
      { resourceId: DEMO_RESOURCES.fjordvikSvarUt, pid: DEMO_PERSONS.ola.pid },
      siri,
    );
    expect(dataOf(removed)).toEqual({ removeAdministrator: expect.any(String) as string });
  });

  it("refuses to remove an organisation's last administrator, by removal or by revoking the grant", async () => {
    const hans = await asPerson(platform, DEMO_PERSONS.hans.pid);
    const removal = await platform.graphql(
      REMOVE,
      { resourceId: DEMO_RESOURCES.heibergRoot, pid: DEMO_PERSONS.hans.pid },
      hans,
    );
    expect(refusalOf(removal)).toBe('BAD_USER_INPUT');
    expect(removal.body.errors?.[0]?.message).toMatch(/last administrator/);
    const [grant] = await platform.db.query<{ id: string }>(
      `select id from organizations.privilege_grant where resource_id = $1 and privilege = 'ADMIN'`,
      [DEMO_RESOURCES.heibergRoot],
    );
    const revocation = await platform.graphql(
      `mutation { revokePrivilege(grantId: "${grant!.id}") }`,
      {},
      hans,
    );
    expect(refusalOf(revocation)).toBe('BAD_USER_INPUT');
    const still = await platform.graphql(ROOT, { orgnr: DEMO_ORGS.heiberg.orgnr }, hans);
    expect(dataOf(still)).toMatchObject({
      organization: { rootResource: { grants: [{ actorId: DEMO_PERSONS.hans.pid, privilege: 'ADMIN' }] } },
    });
  });

  it('lets an administrator step down once another administrator is appointed', async () => {
    const hans = await asPerson(platform, DEMO_PERSONS.hans.pid);
    const appointed = await platform.graphql(
      APPOINT,
      { resourceId: DEMO_RESOURCES.heibergRoot, pid: DEMO_PERSONS.ola.pid },
      hans,
    );
    dataOf(appointed);
    const removed = await platform.graphql(
      REMOVE,
      { resourceId: DEMO_RESOURCES.heibergRoot, pid: DEMO_PERSONS.hans.pid },
      hans,
    );
    expect(dataOf(removed)).toEqual({ removeAdministrator: expect.any(String) as string });
    const ola = await asPerson(platform, DEMO_PERSONS.ola.pid);
    const root = await platform.graphql(ROOT, { orgnr: DEMO_ORGS.heiberg.orgnr }, ola);
    expect(dataOf(root)).toMatchObject({
      organization: { rootResource: { grants: [{ actorId: DEMO_PERSONS.ola.pid, privilege: 'ADMIN' }] } },
    });
  });
});
