// The authorization matrix: every kind of caller against every query and mutation of the API, through the gateway,
// each with the expected answer. 'allow' is data and no error; 'deny' is FORBIDDEN with no protected data; 'hidden'
// is null without an error — what asking for something that does not exist looks like.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_DOCUMENTS,
  DEMO_INTEGRATIONS,
  DEMO_ORGS,
  DEMO_PERSONS,
  DEMO_RESOURCES,
} from '../../common/demo-identities.ts';
import { integrationHeaders, personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type GraphQLResponse, type TestPlatform } from '../support/platform.ts';

type Outcome = 'allow' | 'deny' | 'hidden';
type Actor =
  | 'citizen'
  | 'actsForWithRole'
  | 'orgAdmin'
  | 'serviceAdmin'
  | 'narrowPrivilege'
  | 'integrationWithGrant'
  | 'integrationWithoutGrant'
  | 'otherOrgAdmin'
  | 'platformOperator';

const FJ = DEMO_ORGS.fjordvik.orgnr;
const SEED_EVENT = 'e0000000-0000-4000-8000-000000000001';

/** A synthetic person who is none of the callers below (grants made to them change nobody's answers). */
const OUTSIDER = '03928127809';

const NOBODY: Record<Actor, Outcome> = {
  citizen: 'deny',
  actsForWithRole: 'deny',
  orgAdmin: 'deny',
  serviceAdmin: 'deny',
  narrowPrivilege: 'deny',
  integrationWithGrant: 'deny',
  integrationWithoutGrant: 'deny',
  otherOrgAdmin: 'deny',
  platformOperator: 'deny',
};

/** The organisation's administrator, and nobody else. */
const ORG_ADMIN_ONLY: Record<Actor, Outcome> = {
  citizen: 'deny',
  actsForWithRole: 'deny',
  orgAdmin: 'allow',
  serviceAdmin: 'deny',
  narrowPrivilege: 'deny',
  integrationWithGrant: 'deny',
  integrationWithoutGrant: 'deny',
  otherOrgAdmin: 'deny',
  platformOperator: 'deny',
};

/** Operation → the outcome for each actor. */
const MATRIX: { name: string; query: string; outcomes: Record<Actor, Outcome> }[] = [
  {
    name: 'organisation name',
    query: `{ organization(orgnr: "${FJ}") { name } }`,
    outcomes: {
      citizen: 'allow',
      actsForWithRole: 'allow',
      orgAdmin: 'allow',
      serviceAdmin: 'allow',
      narrowPrivilege: 'allow',
      integrationWithGrant: 'allow',
      integrationWithoutGrant: 'allow',
      otherOrgAdmin: 'allow',
      platformOperator: 'allow',
    },
  },
  {
    name: 'resource tree',
    query: `{ organization(orgnr: "${FJ}") { resources { type name } } }`,
    outcomes: {
      citizen: 'deny',
      actsForWithRole: 'deny',
      orgAdmin: 'allow',
      serviceAdmin: 'allow',
      narrowPrivilege: 'allow',
      integrationWithGrant: 'allow',
      integrationWithoutGrant: 'deny',
      otherOrgAdmin: 'deny',
      platformOperator: 'deny',
    },
  },
  {
    name: 'grants on the root resource',
    query: `{ resource(id: "${DEMO_RESOURCES.fjordvikRoot}") { grants { actorId privilege } } }`,
    outcomes: {
      citizen: 'deny',
      actsForWithRole: 'deny',
      orgAdmin: 'allow',
      serviceAdmin: 'deny',
      narrowPrivilege: 'deny',
      integrationWithGrant: 'deny',
      integrationWithoutGrant: 'deny',
      otherOrgAdmin: 'deny',
      platformOperator: 'deny',
    },
  },
  {
    name: 'grants on the SvarUt account',
    query: `{ resource(id: "${DEMO_RESOURCES.fjordvikSvarUt}") { grants { privilege } } }`,
    outcomes: {
      citizen: 'deny',
      actsForWithRole: 'deny',
      orgAdmin: 'allow',
      serviceAdmin: 'allow',
      narrowPrivilege: 'deny',
      integrationWithGrant: 'deny',
      integrationWithoutGrant: 'deny',
      otherOrgAdmin: 'deny',
      platformOperator: 'deny',
    },
  },
  ...(['integrations { name }', 'documents { title }', 'auditEvents { action }'] as const).map(
    (selection) => ({
      name: `organisation's ${selection.split(' ')[0]}`,
      query: `{ organization(orgnr: "${FJ}") { ${selection} } }`,
      outcomes: ORG_ADMIN_ONLY,
    }),
  ),
  {
    name: 'a document exposed to a citizen',
    query: `{ document(id: "${DEMO_DOCUMENTS.kindergartenDecision}") { title exposedTo { kind } } }`,
    outcomes: {
      citizen: 'allow',
      actsForWithRole: 'hidden',
      orgAdmin: 'allow',
      serviceAdmin: 'hidden',
      narrowPrivilege: 'hidden',
      integrationWithGrant: 'hidden',
      integrationWithoutGrant: 'hidden',
      otherOrgAdmin: 'hidden',
      platformOperator: 'hidden',
    },
  },
  {
    name: 'a document exposed to an organisation and to a privilege',
    query: `{ document(id: "${DEMO_DOCUMENTS.buildingPermit}") { title } }`,
    outcomes: {
      citizen: 'hidden',
      actsForWithRole: 'allow',
      orgAdmin: 'allow',
      serviceAdmin: 'allow',
      narrowPrivilege: 'hidden',
      integrationWithGrant: 'allow',
      integrationWithoutGrant: 'hidden',
      otherOrgAdmin: 'hidden',
      platformOperator: 'hidden',
    },
  },
  {
    name: 'a document exposed to an integration',
    query: `{ document(id: "${DEMO_DOCUMENTS.caseFile}") { title organization { name } } }`,
    outcomes: {
      citizen: 'hidden',
      actsForWithRole: 'hidden',
      orgAdmin: 'allow',
      serviceAdmin: 'hidden',
      narrowPrivilege: 'hidden',
      integrationWithGrant: 'allow',
      integrationWithoutGrant: 'hidden',
      otherOrgAdmin: 'hidden',
      platformOperator: 'hidden',
    },
  },
  {
    name: 'an integration',
    query: `{ integration(id: "${DEMO_INTEGRATIONS.fjordvikCaseSystem.id}") { name enabled } }`,
    outcomes: {
      citizen: 'hidden',
      actsForWithRole: 'hidden',
      orgAdmin: 'allow',
      serviceAdmin: 'hidden',
      narrowPrivilege: 'hidden',
      integrationWithGrant: 'allow',
      integrationWithoutGrant: 'hidden',
      otherOrgAdmin: 'hidden',
      platformOperator: 'hidden',
    },
  },
  {
    name: 'a global integration',
    query: `{ integration(id: "${DEMO_INTEGRATIONS.innsyn.id}") { name global } }`,
    outcomes: {
      citizen: 'hidden',
      actsForWithRole: 'hidden',
      orgAdmin: 'allow',
      serviceAdmin: 'hidden',
      narrowPrivilege: 'hidden',
      integrationWithGrant: 'hidden',
      integrationWithoutGrant: 'hidden',
      otherOrgAdmin: 'allow',
      platformOperator: 'hidden',
    },
  },
  {
    name: 'an audit event',
    query: `{ auditEvent(id: "${SEED_EVENT}") { action dataSubject } }`,
    outcomes: {
      citizen: 'hidden',
      actsForWithRole: 'hidden',
      orgAdmin: 'allow',
      serviceAdmin: 'hidden',
      narrowPrivilege: 'hidden',
      integrationWithGrant: 'hidden',
      integrationWithoutGrant: 'hidden',
      otherOrgAdmin: 'hidden',
      platformOperator: 'hidden',
    },
  },
  {
    name: 'creating an integration for Fjordvik',
    query: `mutation { createIntegration(input: { ownerOrgnr: "${FJ}", authorizedOrgnr: "${DEMO_ORGS.vendor.orgnr}", name: "Matrise" }) { integration { name } } }`,
    outcomes: {
      citizen: 'deny',
      actsForWithRole: 'deny',
      orgAdmin: 'allow',
      serviceAdmin: 'deny',
      narrowPrivilege: 'deny',
      integrationWithGrant: 'deny',
      integrationWithoutGrant: 'deny',
      otherOrgAdmin: 'deny',
      platformOperator: 'deny',
    },
  },
  {
    name: 'who am I',
    query: '{ me { kind } }',
    outcomes: {
      citizen: 'allow',
      actsForWithRole: 'allow',
      orgAdmin: 'allow',
      serviceAdmin: 'allow',
      narrowPrivilege: 'allow',
      integrationWithGrant: 'allow',
      integrationWithoutGrant: 'allow',
      otherOrgAdmin: 'allow',
      platformOperator: 'allow',
    },
  },
  // The privilege store's own API. These change state, so they come last, and they name a person who is no caller here.
  {
    name: 'creating an organisation',
    query: `mutation { createOrganization(orgnr: "955000005", name: "Matrise kommune", administratorPid: "${OUTSIDER}") { orgnr } }`,
    outcomes: { ...NOBODY, platformOperator: 'allow' },
  },
  {
    name: 'who may send from the SvarUt account',
    query: `{ whoMay(privilege: "SVARUT.SEND", resourceId: "${DEMO_RESOURCES.fjordvikSvarUt}") { actorType privilege } }`,
    outcomes: { ...NOBODY, orgAdmin: 'allow', serviceAdmin: 'allow' },
  },
  {
    name: 'granting a privilege on a department',
    query: `mutation { grantPrivilege(resourceId: "${DEMO_RESOURCES.fjordvikOppvekst}", actorType: PERSON, actorId: "${OUTSIDER}", privilege: "ARKIV.LES") { privilege } }`,
    outcomes: { ...NOBODY, orgAdmin: 'allow' },
  },
  {
    name: 'appointing an administrator of the SvarUt account',
    query: `mutation { appointAdministrator(resourceId: "${DEMO_RESOURCES.fjordvikSvarUt}", pid: "${OUTSIDER}") { privilege } }`,
    outcomes: { ...NOBODY, orgAdmin: 'allow', serviceAdmin: 'allow' },
  },
];

function leaves(value: unknown): unknown[] {
  if (value === null || typeof value !== 'object') return [value];
  return Object.values(value).flatMap(leaves);
}

function expectOutcome(response: GraphQLResponse, outcome: Outcome, label: string) {
  const codes = (response.body.errors ?? []).map((e) => e.extensions?.code);
  if (outcome === 'allow') {
    expect(codes, label).toEqual([]);
    expect(
      leaves(response.body.data).some((v) => v !== null && v !== undefined),
      label,
    ).toBe(true);
  } else if (outcome === 'deny') {
    expect(codes, label).toContain('FORBIDDEN');
    // Nothing protected leaks: every leaf of whatever data came back is null (or there is no data at all).
    expect(
      leaves(response.body.data ?? null).every((v) => v === null || v === undefined),
      label,
    ).toBe(true);
  } else {
    expect(codes, label).toEqual([]);
    expect(
      leaves(response.body.data).every((v) => v === null),
      label,
    ).toBe(true);
  }
}

describe('authorization / matrix', () => {
  let platform: TestPlatform;
  const headers = {} as Record<Actor, Record<string, string>>;

  beforeAll(async () => {
    platform = await startTestPlatform();
    const bearer = async (pid: string) => ({
      authorization: `Bearer ${await personAccessToken(platform, pid)}`,
    });
    headers.citizen = await bearer(DEMO_PERSONS.ola.pid);
    headers.actsForWithRole = {
      ...(await bearer(DEMO_PERSONS.liv.pid)),
      'fiks-act-for': DEMO_ORGS.vendor.orgnr,
    };
    headers.orgAdmin = await bearer(DEMO_PERSONS.kari.pid);
    headers.serviceAdmin = await bearer(DEMO_PERSONS.siri.pid);
    headers.narrowPrivilege = await bearer(DEMO_PERSONS.per.pid);
    headers.otherOrgAdmin = await bearer(DEMO_PERSONS.hans.pid);
    headers.platformOperator = await bearer(DEMO_PERSONS.operator.pid);
    headers.integrationWithGrant = await integrationHeaders(platform);
    // An integration Heiberg creates for the same vendor: authenticated, but granted nothing anywhere.
    const created = await platform.graphql(
      `mutation { createIntegration(input: { ownerOrgnr: "${DEMO_ORGS.heiberg.orgnr}", authorizedOrgnr: "${DEMO_ORGS.vendor.orgnr}", name: "Uten tilgang" }) { password integration { id } } }`,
      {},
      headers.otherOrgAdmin,
    );
    const { password, integration } = created.body.data?.createIntegration as {
      password: string;
      integration: { id: string };
    };
    headers.integrationWithoutGrant = await integrationHeaders(platform, { id: integration.id, password });
  });
  afterAll(() => platform.stop());

  for (const operation of MATRIX) {
    it(`answers ${operation.name} as expected for every caller`, async () => {
      for (const [actor, outcome] of Object.entries(operation.outcomes) as [Actor, Outcome][]) {
        const response = await platform.graphql(operation.query, {}, headers[actor]);
        expectOutcome(response, outcome, `${actor} → ${operation.name}`);
      }
    });
  }

  it('refuses a person acting for an organisation where Altinn gives no role, before anything else', async () => {
    const response = await platform.graphql(
      `{ organization(orgnr: "${FJ}") { name } }`,
      {},
      { ...headers.orgAdmin, 'fiks-act-for': DEMO_ORGS.vendor.orgnr },
    );
    expect(response.status).toBe(403);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("makes another organisation's resource look exactly like one that does not exist", async () => {
    const ask = async (id: string) => {
      const response = await platform.graphql(
        `{ resource(id: "${id}") { name } }`,
        {},
        headers.otherOrgAdmin,
      );
      const errors = response.body.errors?.map(({ extensions, ...rest }) => ({
        ...rest,
        code: extensions?.code,
      }));
      return { status: response.status, data: response.body.data, errors };
    };
    const foreign = await ask(DEMO_RESOURCES.fjordvikRoot);
    expect(foreign.errors?.[0]?.code).toBe('FORBIDDEN');
    expect(await ask('a0000000-0000-4000-8000-0000000000ff')).toEqual(foreign);
  });

  it('refuses a denied operation at the gateway without calling any subgraph', async () => {
    // Each subgraph logs every request it receives; nothing else runs in this test while it counts.
    const subgraphRequests = () =>
      platform.logs.filter((l) => l.includes('"subgraph"') && l.includes('incoming request')).length;
    const allowed = await platform.graphql(`{ organization(orgnr: "${FJ}") { name } }`, {}, headers.citizen);
    expect(allowed.body.errors).toBeUndefined();
    const before = subgraphRequests();
    expect(before).toBeGreaterThan(0);
    const response = await platform.graphql(
      `{ organization(orgnr: "${FJ}") { name auditEvents { action } } }`,
      {},
      headers.citizen,
    );
    expect(response.status).toBe(403);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.path).toEqual(['organization', 'auditEvents']);
    expect(subgraphRequests()).toBe(before);
  });

  it('stops an integration on the very next request after its grant is revoked', async () => {
    const query = `{ organization(orgnr: "${FJ}") { resources { name } } }`;
    expectOutcome(await platform.graphql(query, {}, headers.integrationWithGrant), 'allow', 'before');
    await platform.db.query(
      `delete from organizations.privilege_grant where actor_type = 'INTEGRATION' and actor_id = $1`,
      [DEMO_INTEGRATIONS.fjordvikCaseSystem.id],
    );
    expectOutcome(await platform.graphql(query, {}, headers.integrationWithGrant), 'deny', 'after');
  });
});
