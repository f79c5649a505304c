// Granting and revoking privileges on the resource tree, and the "who may" / "what may" answers
// (FIKS-FACTS §5). Only administrators grant, and only on what they administer; a revocation takes effect on the
// very next request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_DOCUMENTS,
  DEMO_INTEGRATIONS,
  DEMO_ORGS,
  DEMO_PERSONS,
  DEMO_RESOURCES,
} from '../../common/demo-identities.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import {
  asPerson,
  dataOf,
  DOCUMENT_TITLE,
  GRANT,
  refusalOf,
  REVOKE,
  WHAT_MAY,
  WHO_MAY,
  type Authorization,
  type Headers,
} from './support.ts';

const FJ = DEMO_ORGS.fjordvik.orgnr;
const PERMIT = { id: DEMO_DOCUMENTS.buildingPermit };
const sendOnSvarUt = (pid: string) => ({
  resourceId: DEMO_RESOURCES.fjordvikSvarUt,
  actorType: 'PERSON',
  actorId: pid,
  privilege: 'SVARUT.SEND',
});

describe('privileges / grants', () => {
  let platform: TestPlatform;
  let kari: Headers;
  let siri: Headers;
  let per: Headers;
  let ola: Headers;
  let hans: Headers;
  beforeAll(async () => {
    platform = await startTestPlatform();
    kari = await asPerson(platform, DEMO_PERSONS.kari.pid);
    siri = await asPerson(platform, DEMO_PERSONS.siri.pid);
    per = await asPerson(platform, DEMO_PERSONS.per.pid);
    // The permit is a level-4 document: reading it takes a high login (issue #9 item 7).
    ola = await asPerson(platform, DEMO_PERSONS.ola.pid, 'high');
    hans = await asPerson(platform, DEMO_PERSONS.hans.pid);
  });
  afterAll(() => platform.stop());

  it('gives a granted person the privilege at once, and takes it away on the very next request', async () => {
    expect(dataOf(await platform.graphql(DOCUMENT_TITLE, PERMIT, ola))).toEqual({ document: null });
    const granted = await platform.graphql(GRANT, sendOnSvarUt(DEMO_PERSONS.ola.pid), kari);
    const grant = dataOf<{ grantPrivilege: { id: string } }>(granted).grantPrivilege;
    expect(grant).toMatchObject({
      actorType: 'PERSON',
      actorId: DEMO_PERSONS.ola.pid,
      privilege: 'SVARUT.SEND',
      resource: { id: DEMO_RESOURCES.fjordvikSvarUt, name: 'SvarUt-konto Fjordvik' },
    });
    expect(dataOf(await platform.graphql(DOCUMENT_TITLE, PERMIT, ola))).toEqual({
      document: { title: 'Byggetillatelse, gnr. 12 bnr. 7' },
    });
    expect(dataOf(await platform.graphql(REVOKE, { grantId: grant.id }, kari))).toEqual({
      revokePrivilege: grant.id,
    });
    expect(dataOf(await platform.graphql(DOCUMENT_TITLE, PERMIT, ola))).toEqual({ document: null });
  });

  it('lets a service administrator grant on the service, and nowhere else', async () => {
    const onService = await platform.graphql(GRANT, sendOnSvarUt(DEMO_PERSONS.liv.pid), siri);
    const grant = dataOf<{ grantPrivilege: { id: string } }>(onService).grantPrivilege;
    const beside = await platform.graphql(
      GRANT,
      { ...sendOnSvarUt(DEMO_PERSONS.liv.pid), resourceId: DEMO_RESOURCES.fjordvikOppvekst },
      siri,
    );
    expect(refusalOf(beside)).toBe('FORBIDDEN');
    const above = await platform.graphql(
      GRANT,
      { ...sendOnSvarUt(DEMO_PERSONS.liv.pid), resourceId: DEMO_RESOURCES.fjordvikRoot },
      siri,
    );
    expect(refusalOf(above)).toBe('FORBIDDEN');
    dataOf(await platform.graphql(REVOKE, { grantId: grant.id }, siri));
  });

  it('refuses a person who holds a privilege but administers nothing to pass it on', async () => {
    const passedOn = await platform.graphql(
      GRANT,
      { ...sendOnSvarUt(DEMO_PERSONS.ola.pid), resourceId: DEMO_RESOURCES.fjordvikOppvekst },
      per,
    );
    expect(passedOn.status).toBe(403);
    expect(refusalOf(passedOn)).toBe('FORBIDDEN');
    const rows = await platform.db.query('select 1 from organizations.privilege_grant where actor_id = $1', [
      DEMO_PERSONS.ola.pid,
    ]);
    expect(rows).toEqual([]);
  });

  it("answers a grant on another organisation's resource exactly as one on a resource that does not exist", async () => {
    const ask = async (resourceId: string) => {
      const response = await platform.graphql(
        GRANT,
        { ...sendOnSvarUt(DEMO_PERSONS.hans.pid), resourceId },
        hans,
      );
      const errors = response.body.errors?.map(({ extensions, ...rest }) => ({
        ...rest,
        code: extensions?.code,
      }));
      return { status: response.status, data: response.body.data, errors };
    };
    const foreign = await ask(DEMO_RESOURCES.fjordvikSvarUt);
    expect(foreign.errors?.[0]?.code).toBe('FORBIDDEN');
    expect(await ask('a0000000-0000-4000-8000-0000000000ff')).toEqual(foreign);
    const [grant] = await platform.db.query<{ id: string }>(
      'select id from organizations.privilege_grant where resource_id = $1 limit 1',
      [DEMO_RESOURCES.fjordvikRoot],
    );
    const revokeForeign = await platform.graphql(REVOKE, { grantId: grant!.id }, hans);
    const revokeMissing = await platform.graphql(
      REVOKE,
      { grantId: 'a0000000-0000-4000-8000-0000000000ff' },
      hans,
    );
    expect(refusalOf(revokeForeign)).toBe('FORBIDDEN');
    expect(revokeMissing.body.errors?.[0]?.message).toBe(revokeForeign.body.errors?.[0]?.message);
    expect(refusalOf(revokeMissing)).toBe('FORBIDDEN');
  });

  it('refuses malformed privileges and actors as bad input', async () => {
    const attempts = [
      { ...sendOnSvarUt(DEMO_PERSONS.ola.pid), privilege: 'svarut.send' },
      { ...sendOnSvarUt(DEMO_PERSONS.ola.pid), privilege: 'SEND ALT' },
      sendOnSvarUt('12838512312'),
      { ...sendOnSvarUt('not-an-id'), actorType: 'INTEGRATION' },
    ];
    for (const variables of attempts) {
      expect(refusalOf(await platform.graphql(GRANT, variables, kari))).toBe('BAD_USER_INPUT');
    }
  });

  it('answers who may do what on a resource, with direct, inherited and integration grants', async () => {
    const response = await platform.graphql(
      WHO_MAY,
      { privilege: 'SVARUT.SEND', resourceId: DEMO_RESOURCES.fjordvikSvarUt },
      siri,
    );
    const answers = dataOf<{ whoMay: Authorization[] }>(response).whoMay;
    expect(answers.map((a) => [a.source, a.actorType, a.actorId, a.privilege, a.grantedOn.id])).toEqual([
      [
        'DIRECT',
        'INTEGRATION',
        DEMO_INTEGRATIONS.fjordvikCaseSystem.id,
        'SVARUT.SEND',
        DEMO_RESOURCES.fjordvikSvarUt,
      ],
      ['DIRECT', 'PERSON', DEMO_PERSONS.siri.pid, 'ADMIN', DEMO_RESOURCES.fjordvikSvarUt],
      ['INHERITED', 'PERSON', DEMO_PERSONS.kari.pid, 'ADMIN', DEMO_RESOURCES.fjordvikRoot],
    ]);
    expect(answers.every((a) => a.resource.id === DEMO_RESOURCES.fjordvikSvarUt && a.grantId)).toBe(true);
    const notAdmin = await platform.graphql(
      WHO_MAY,
      { privilege: 'SVARUT.SEND', resourceId: DEMO_RESOURCES.fjordvikOppvekst },
      siri,
    );
    expect(refusalOf(notAdmin)).toBe('FORBIDDEN');
  });

  it('answers what an actor may do, to the organisation administrator and to the actor itself', async () => {
    const variables = { actorType: 'PERSON', actorId: DEMO_PERSONS.per.pid, orgnr: FJ };
    const expected = {
      whatMay: [
        {
          privilege: 'SVARUT.SEND',
          source: 'DIRECT',
          grantId: expect.any(String) as string,
          typeGrantId: null,
          resource: { id: DEMO_RESOURCES.fjordvikOppvekst, name: 'Oppvekst' },
          grantedOn: { id: DEMO_RESOURCES.fjordvikOppvekst },
        },
      ],
    };
    expect(dataOf(await platform.graphql(WHAT_MAY, variables, kari))).toEqual(expected);
    expect(dataOf(await platform.graphql(WHAT_MAY, variables, per))).toEqual(expected);
    expect(refusalOf(await platform.graphql(WHAT_MAY, variables, siri))).toBe('FORBIDDEN');
    const kariHerself = await platform.graphql(
      WHAT_MAY,
      { actorType: 'PERSON', actorId: DEMO_PERSONS.kari.pid, orgnr: FJ },
      kari,
    );
    expect(
      dataOf<{ whatMay: Authorization[] }>(kariHerself).whatMay.map((a) => [a.resource.name, a.source]),
    ).toEqual([
      ['Fjordvik kommune', 'DIRECT'],
      ['Dokumentlager-konto Fjordvik', 'INHERITED'],
      ['Oppvekst', 'INHERITED'],
      ['SvarUt-konto Fjordvik', 'INHERITED'],
    ]);
  });
});
