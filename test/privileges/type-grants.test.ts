// Type grants (Fiks' TypeTilgang): a privilege on every resource of one type in an organisation, counted as a grant on
// each such resource and so also beneath each one. Only the organisation's administrators grant them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DOCUMENTS, DEMO_ORGS, DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import {
  asPerson,
  dataOf,
  DOCUMENT_TITLE,
  refusalOf,
  REVOKE_TYPE,
  TYPE_GRANT,
  WHAT_MAY,
  WHO_MAY,
  type Authorization,
  type Headers,
} from './support.ts';

const FJ = DEMO_ORGS.fjordvik.orgnr;
const PERMIT = { id: DEMO_DOCUMENTS.buildingPermit };

describe('privileges / type grants', () => {
  let platform: TestPlatform;
  let kari: Headers;
  let siri: Headers;
  let ola: Headers;
  beforeAll(async () => {
    platform = await startTestPlatform();
    kari = await asPerson(platform, DEMO_PERSONS.kari.pid);
    siri = await asPerson(platform, DEMO_PERSONS.siri.pid);
    // The permit is a level-4 document: reading it takes a high login (issue #9 item 7).
    ola = await asPerson(platform, DEMO_PERSONS.ola.pid, 'high');
  });
  afterAll(() => platform.stop());

  it('makes a type grant count on every resource of the type and beneath it, until it is revoked', async () => {
    const granted = await platform.graphql(
      TYPE_GRANT,
      {
        orgnr: FJ,
        resourceType: 'SVARUT.KONTO',
        actorType: 'PERSON',
        actorId: DEMO_PERSONS.ola.pid,
        privilege: 'SVARUT.SEND',
      },
      kari,
    );
    const typeGrant = dataOf<{ grantTypePrivilege: { id: string } }>(granted).grantTypePrivilege;
    expect(typeGrant).toMatchObject({ resourceType: 'SVARUT.KONTO', organization: { orgnr: FJ } });
    expect(dataOf(await platform.graphql(DOCUMENT_TITLE, PERMIT, ola))).toEqual({
      document: { title: 'Byggetillatelse, gnr. 12 bnr. 7' },
    });
    const who = dataOf<{ whoMay: Authorization[] }>(
      await platform.graphql(
        WHO_MAY,
        { privilege: 'SVARUT.SEND', resourceId: DEMO_RESOURCES.fjordvikSvarUt },
        kari,
      ),
    ).whoMay;
    expect(who.filter((a) => a.source === 'TYPE')).toEqual([
      expect.objectContaining({ actorId: DEMO_PERSONS.ola.pid, typeGrantId: typeGrant.id, grantId: null }),
    ]);
    // A resource of the type created after the grant is covered too.
    const created = await platform.graphql(
      `mutation { createResource(parentId: "${DEMO_RESOURCES.fjordvikOppvekst}", type: "SVARUT.KONTO", name: "SvarUt-konto Oppvekst") { id } }`,
      {},
      kari,
    );
    const laterAccount = dataOf<{ createResource: { id: string } }>(created).createResource.id;
    const onLater = dataOf<{ whoMay: Authorization[] }>(
      await platform.graphql(WHO_MAY, { privilege: 'SVARUT.SEND', resourceId: laterAccount }, kari),
    ).whoMay;
    expect(onLater.filter((a) => a.source === 'TYPE').map((a) => [a.actorId, a.grantedOn.id])).toEqual([
      [DEMO_PERSONS.ola.pid, laterAccount],
    ]);
    const listed = await platform.graphql(
      `{ organization(orgnr: "${FJ}") { typeGrants { id actorId } } }`,
      {},
      kari,
    );
    expect(dataOf(listed)).toEqual({
      organization: { typeGrants: [{ id: typeGrant.id, actorId: DEMO_PERSONS.ola.pid }] },
    });
    const what = await platform.graphql(
      WHAT_MAY,
      { actorType: 'PERSON', actorId: DEMO_PERSONS.ola.pid, orgnr: FJ },
      ola,
    );
    expect(
      dataOf<{ whatMay: Authorization[] }>(what).whatMay.map((a) => [a.source, a.resource.name]),
    ).toEqual([
      ['TYPE', 'SvarUt-konto Fjordvik'],
      ['TYPE', 'SvarUt-konto Oppvekst'],
    ]);
    expect(dataOf(await platform.graphql(REVOKE_TYPE, { id: typeGrant.id }, kari))).toEqual({
      revokeTypePrivilege: typeGrant.id,
    });
    expect(dataOf(await platform.graphql(DOCUMENT_TITLE, PERMIT, ola))).toEqual({ document: null });
  });

  it('applies a type grant beneath each resource of the type', async () => {
    const created = await platform.graphql(
      `mutation { createResource(parentId: "${DEMO_RESOURCES.fjordvikOppvekst}", type: "SKOLE", name: "Fjordvik skole") { id } }`,
      {},
      kari,
    );
    const school = dataOf<{ createResource: { id: string } }>(created).createResource.id;
    const granted = await platform.graphql(
      TYPE_GRANT,
      {
        orgnr: FJ,
        resourceType: 'AVDELING',
        actorType: 'PERSON',
        actorId: DEMO_PERSONS.ola.pid,
        privilege: 'ADMIN',
      },
      kari,
    );
    const typeGrant = dataOf<{ grantTypePrivilege: { id: string } }>(granted).grantTypePrivilege;
    const grantsOnSchool = `{ resource(id: "${school}") { grants { privilege } } }`;
    expect(dataOf(await platform.graphql(grantsOnSchool, {}, ola))).toEqual({ resource: { grants: [] } });
    dataOf(await platform.graphql(REVOKE_TYPE, { id: typeGrant.id }, kari));
    expect(refusalOf(await platform.graphql(grantsOnSchool, {}, ola))).toBe('FORBIDDEN');
  });

  it('keeps type grants to the organisation administrators', async () => {
    const bySiri = await platform.graphql(
      TYPE_GRANT,
      {
        orgnr: FJ,
        resourceType: 'SVARUT.KONTO',
        actorType: 'PERSON',
        actorId: DEMO_PERSONS.liv.pid,
        privilege: 'SVARUT.SEND',
      },
      siri,
    );
    expect(refusalOf(bySiri)).toBe('FORBIDDEN');
    const onRootType = await platform.graphql(
      TYPE_GRANT,
      {
        orgnr: FJ,
        resourceType: 'ORGANISASJON',
        actorType: 'PERSON',
        actorId: DEMO_PERSONS.liv.pid,
        privilege: 'ADMIN',
      },
      kari,
    );
    expect(refusalOf(onRootType)).toBe('BAD_USER_INPUT');
  });
});
