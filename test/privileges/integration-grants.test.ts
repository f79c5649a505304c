// Grants to integrations (FIKS-FACTS §1, §5): an organisation's administrators grant an integration privileges on
// their own resources only, and only an integration the organisation owns or a global one; they list and revoke
// those grants, and a revoked integration is refused on its very next call.
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
  type Authorization,
  type Headers,
} from './support.ts';

const FJ = DEMO_ORGS.fjordvik.orgnr;
const CASE_SYSTEM = DEMO_INTEGRATIONS.fjordvikCaseSystem.id;
const GLOBAL = DEMO_INTEGRATIONS.innsyn.id;
const LISTING = `query Listing($orgnr: String!) {
  organization(orgnr: $orgnr) { integrationGrants { id actorId privilege resource { id } } }
}`;
const toIntegration = (actorId: string, resourceId: string, privilege = 'SVARUT.SEND') => ({
  resourceId,
  actorType: 'INTEGRATION',
  actorId,
  privilege,
});

describe('privileges / grants to integrations', () => {
  let platform: TestPlatform;
  let kari: Headers;
  let hans: Headers;
  beforeAll(async () => {
    platform = await startTestPlatform();
    kari = await asPerson(platform, DEMO_PERSONS.kari.pid);
    hans = await asPerson(platform, DEMO_PERSONS.hans.pid);
  });
  afterAll(() => platform.stop());

  it('lets an administrator grant an integration the organisation owns a privilege on its resources', async () => {
    const granted = await platform.graphql(
      GRANT,
      toIntegration(CASE_SYSTEM, DEMO_RESOURCES.fjordvikOppvekst),
      kari,
    );
    expect(dataOf(granted)).toMatchObject({
      grantPrivilege: { actorType: 'INTEGRATION', actorId: CASE_SYSTEM, privilege: 'SVARUT.SEND' },
    });
  });

  it("refuses a grant on another organisation's resource, and to another organisation's integration", async () => {
    const foreignResource = await platform.graphql(
      GRANT,
      toIntegration(CASE_SYSTEM, DEMO_RESOURCES.heibergRoot),
      kari,
    );
    expect(refusalOf(foreignResource)).toBe('FORBIDDEN');
    const foreignIntegration = await platform.graphql(
      GRANT,
      toIntegration(CASE_SYSTEM, DEMO_RESOURCES.heibergRoot),
      hans,
    );
    expect(refusalOf(foreignIntegration)).toBe('FORBIDDEN');
    const missingIntegration = await platform.graphql(
      GRANT,
      toIntegration('0b6f6b0e-0000-4000-8000-000000000000', DEMO_RESOURCES.heibergRoot),
      hans,
    );
    expect(missingIntegration.body.errors?.[0]?.message).toBe(foreignIntegration.body.errors?.[0]?.message);
    expect(refusalOf(missingIntegration)).toBe('FORBIDDEN');
    const rows = await platform.db.query('select 1 from organizations.privilege_grant where orgnr = $1', [
      DEMO_ORGS.heiberg.orgnr,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('never makes an integration an administrator', async () => {
    const response = await platform.graphql(
      GRANT,
      toIntegration(CASE_SYSTEM, DEMO_RESOURCES.fjordvikOppvekst, 'ADMIN'),
      kari,
    );
    expect(refusalOf(response)).toBe('BAD_USER_INPUT');
  });

  it('lets any organisation grant a global integration, which holds nothing until it is granted', async () => {
    const whatMay = (orgnr: string, headers: Headers) =>
      platform.graphql(WHAT_MAY, { actorType: 'INTEGRATION', actorId: GLOBAL, orgnr }, headers);
    expect(dataOf(await whatMay(FJ, kari))).toEqual({ whatMay: [] });
    expect(dataOf(await whatMay(DEMO_ORGS.heiberg.orgnr, hans))).toEqual({ whatMay: [] });
    // Heiberg owns the global integration; Fjordvik may grant it too.
    const granted = await platform.graphql(
      GRANT,
      toIntegration(GLOBAL, DEMO_RESOURCES.fjordvikSvarUt, 'SVARUT.LES'),
      kari,
    );
    dataOf(granted);
    const inFjordvik = dataOf<{ whatMay: Authorization[] }>(await whatMay(FJ, kari)).whatMay;
    expect(inFjordvik.map((a) => [a.privilege, a.resource.id])).toEqual([
      ['SVARUT.LES', DEMO_RESOURCES.fjordvikSvarUt],
    ]);
    expect(dataOf(await whatMay(DEMO_ORGS.heiberg.orgnr, hans))).toEqual({ whatMay: [] });
  });

  it("lists the organisation's grants to integrations for its administrators only", async () => {
    const listed = dataOf<{ organization: { integrationGrants: { actorId: string; privilege: string }[] } }>(
      await platform.graphql(LISTING, { orgnr: FJ }, kari),
    );
    expect(listed.organization.integrationGrants.map((g) => [g.actorId, g.privilege]).sort()).toEqual(
      [
        [CASE_SYSTEM, 'SVARUT.SEND'],
        [CASE_SYSTEM, 'SVARUT.SEND'],
        // The seeded grant of the document account (README, "Documents").
        [CASE_SYSTEM, 'DOKUMENTLAGER.UPLOAD'],
        [GLOBAL, 'SVARUT.LES'],
      ].sort(),
    );
    const siri = await asPerson(platform, DEMO_PERSONS.siri.pid);
    expect(refusalOf(await platform.graphql(LISTING, { orgnr: FJ }, siri))).toBe('FORBIDDEN');
    expect(refusalOf(await platform.graphql(LISTING, { orgnr: FJ }, hans))).toBe('FORBIDDEN');
  });

  it('refuses an integration changing grants, even its own', async () => {
    const response = await platform.graphql(
      GRANT,
      toIntegration(CASE_SYSTEM, DEMO_RESOURCES.fjordvikSvarUt, 'SVARUT.LES'),
      await platform.asIntegration(),
    );
    expect(refusalOf(response)).toBe('FORBIDDEN');
  });

  it("stops a revoked integration's access on its very next call", async () => {
    const integration = await platform.asIntegration();
    const permit = { id: DEMO_DOCUMENTS.buildingPermit };
    expect(dataOf(await platform.graphql(DOCUMENT_TITLE, permit, integration))).toEqual({
      document: { title: 'Byggetillatelse, gnr. 12 bnr. 7' },
    });
    const listed = dataOf<{
      organization: { integrationGrants: { id: string; resource: { id: string } }[] };
    }>(await platform.graphql(LISTING, { orgnr: FJ }, kari));
    const onSvarUt = listed.organization.integrationGrants.find(
      (g) => g.resource.id === DEMO_RESOURCES.fjordvikSvarUt,
    )!;
    dataOf(await platform.graphql(REVOKE, { grantId: onSvarUt.id }, kari));
    expect(dataOf(await platform.graphql(DOCUMENT_TITLE, permit, integration))).toEqual({ document: null });
    dataOf(await platform.graphql(GRANT, toIntegration(CASE_SYSTEM, DEMO_RESOURCES.fjordvikSvarUt), kari));
    expect(dataOf(await platform.graphql(DOCUMENT_TITLE, permit, integration))).toEqual({
      document: { title: 'Byggetillatelse, gnr. 12 bnr. 7' },
    });
  });
});
