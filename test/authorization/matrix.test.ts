// The authorization matrix (issue #4): every kind of caller against every root query and mutation of the API,
// through the gateway, each with the expected answer. 'allow' is data and no error; 'deny' is FORBIDDEN with no
// protected data; 'hidden' is no error and nothing in the answer (null, or an empty list) — what asking for something
// that does not exist, or that one has none of, looks like. A guard below keeps every root field of the supergraph
// in the matrix.
//
// Rows that change state prepare, before each caller's attempt, the very thing that attempt would change (a grant to
// revoke, an integration to disable, a fresh person to appoint), as the organisation's administrator through the
// gateway, and check afterwards that it changed exactly when the answer was 'allow'. So no caller's answer depends on
// what another caller's attempt did, nor on the order of the tests.
//
// The rows are in matrix-rows.ts; the kinds of caller and the helpers rows use, in matrix-world.ts.
import { readFileSync } from 'node:fs';
import { buildASTSchema, Kind, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { loadConfig } from '../../common/config.ts';
import { resolveOperationLimits } from '../../gateway/plugins/operation-limits/limits.ts';
import { measureDocument } from '../../gateway/plugins/operation-limits/measure.ts';
import { SUPERGRAPH_FILE } from '../../schema/supergraph-file.ts';
import { integrationHeaders, personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type GraphQLResponse, type TestPlatform } from '../support/platform.ts';
import { MATRIX } from './matrix-rows.ts';
import {
  asOrgAdmin,
  AUDIT_MODE,
  CREATE_INTEGRATION,
  AUDIT_READ_BASIS,
  FJ,
  GRANT_AUDIT_READ,
  grantedIntegration,
  HEIBERG,
  REVOKE,
  ROOT,
  SVARUT,
  VENDOR,
  type Actor,
  type Headers,
  type Outcome,
} from './matrix-world.ts';

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
  } else if (outcome === 'stepUp') {
    expect(codes, label).toEqual(['INSUFFICIENT_AUTHENTICATION_LEVEL']);
    expect(response.body.errors?.[0]?.extensions?.loginUrl, label).toMatch(
      /\/auth\/login\?acr=idporten-loa-high$/,
    );
    expect(
      leaves(response.body.data ?? null).every((v) => v === null || v === undefined),
      label,
    ).toBe(true);
  } else {
    expect(codes, label).toEqual([]);
    expect(response.body.data, label).toBeTruthy();
    expect(
      leaves(response.body.data).every((v) => v === null),
      label,
    ).toBe(true);
  }
}

const ROOT_TYPES = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

/** The root fields an operation asks for, as Type.field. */
function rootFieldsOf(query: string): string[] {
  return parse(query).definitions.flatMap((definition) => {
    if (definition.kind !== Kind.OPERATION_DEFINITION) return [];
    const type = ROOT_TYPES[definition.operation];
    return definition.selectionSet.selections.flatMap((s) =>
      s.kind === Kind.FIELD && s.name.value !== '__typename' ? [`${type}.${s.name.value}`] : [],
    );
  });
}

describe('authorization / matrix coverage', () => {
  const supergraph = buildASTSchema(parse(readFileSync(SUPERGRAPH_FILE, 'utf8')));
  /** Federation's own root fields, answered for the gateway rather than for callers. */
  const FEDERATION_INTERNALS = new Set(['_service', '_entities']);

  it('the matrix covers every root field of the supergraph', () => {
    const rootFields = [supergraph.getQueryType(), supergraph.getMutationType()].flatMap((type) =>
      type
        ? Object.keys(type.getFields())
            .filter((field) => !FEDERATION_INTERNALS.has(field))
            .map((field) => `${type.name}.${field}`)
        : [],
    );
    const covered = new Set(MATRIX.flatMap((row) => rootFieldsOf(row.query)));
    const missing = rootFields.filter((field) => !covered.has(field));
    expect(missing, 'root fields without a row in the matrix').toEqual([]);
    // And the other way round, so neither list can be empty by mistake: every row asks for a real root field.
    expect([...covered].filter((field) => !rootFields.includes(field))).toEqual([]);
    expect(rootFields).toContain('Mutation.createOrganization');
  });

  it('asks only operations within the default operation limits', () => {
    const limits = resolveOperationLimits(loadConfig({}).limits);
    const refused = MATRIX.flatMap((row) => {
      const refusal = measureDocument(parse(row.query, { maxTokens: limits.maxTokens }), supergraph, limits);
      return refusal ? [`${row.name}: ${refusal.code}`] : [];
    });
    expect(refused).toEqual([]);
  });

  it('asks only valid operations of the supergraph', () => {
    const invalid = MATRIX.flatMap((row) =>
      validate(supergraph, parse(row.query)).map((error) => `${row.name}: ${error.message}`),
    );
    expect(invalid).toEqual([]);
  });
});

describe('authorization / matrix', () => {
  let platform: TestPlatform;
  const headers = {} as Record<Actor, Headers>;
  const world = () => ({ platform, headers });

  beforeAll(async () => {
    platform = await startTestPlatform();
    const bearer = async (pid: string) => ({
      authorization: `Bearer ${await personAccessToken(platform, pid)}`,
    });
    headers.citizen = await bearer(DEMO_PERSONS.ola.pid);
    headers.actsForWithRole = { ...(await bearer(DEMO_PERSONS.liv.pid)), 'fiks-act-for': VENDOR };
    headers.orgAdmin = await bearer(DEMO_PERSONS.kari.pid);
    // Fjordvik's administrator acting for the vendor, where Altinn gives her no role: refused everything.
    headers.actsForWithoutRole = { ...headers.orgAdmin, 'fiks-act-for': VENDOR };
    headers.serviceAdmin = await bearer(DEMO_PERSONS.siri.pid);
    headers.narrowPrivilege = await bearer(DEMO_PERSONS.per.pid);
    headers.otherOrgAdmin = await bearer(DEMO_PERSONS.hans.pid);
    headers.platformOperator = await bearer(DEMO_PERSONS.operator.pid);
    headers.integrationWithGrant = await integrationHeaders(platform);
    // An integration Heiberg creates for the same vendor: authenticated, but granted nothing anywhere.
    const created = await platform.graphql(
      CREATE_INTEGRATION,
      { owner: HEIBERG, name: 'Uten tilgang' },
      headers.otherOrgAdmin,
    );
    expect(created.body.errors).toBeUndefined();
    const { password, integration } = created.body.data?.createIntegration as {
      password: string;
      integration: { id: string };
    };
    const audited = await platform.graphql(AUDIT_MODE, { id: integration.id }, headers.otherOrgAdmin);
    expect(audited.body.errors).toBeUndefined();
    headers.integrationWithoutGrant = await integrationHeaders(platform, { id: integration.id, password });
    // The same integration calling with the citizen's own ID-porten token: it acts for him.
    headers.integrationForPerson = await integrationHeaders(platform, {
      id: integration.id,
      password,
      token: await personAccessToken(platform, DEMO_PERSONS.ola.pid),
    });
    // Aud reads Fjordvik's audit log: its administrator grants her AUDIT.READ on the root.
    await asOrgAdmin(world(), GRANT_AUDIT_READ, {
      resourceId: ROOT,
      pid: DEMO_PERSONS.aud.pid,
      legalBasis: AUDIT_READ_BASIS,
    });
    headers.auditReader = await bearer(DEMO_PERSONS.aud.pid);
    // An integration that held what Fjordvik's case system holds, until Fjordvik's administrator revoked it.
    const revoked = await grantedIntegration(world(), 'Tilbakekalt');
    const granted = `{ resource(id: "${SVARUT}") { name } }`;
    expectOutcome(await platform.graphql(granted, {}, revoked.headers), 'allow', 'before revocation');
    await asOrgAdmin(world(), REVOKE, { grantId: revoked.grantId });
    headers.integrationRevoked = revoked.headers;
  });
  afterAll(() => platform.stop());

  for (const row of MATRIX) {
    it(`answers ${row.name} as expected for every caller`, async () => {
      for (const [actor, outcome] of Object.entries(row.outcomes) as [Actor, Outcome][]) {
        const attempt = (await row.attempt?.(world(), actor)) ?? {};
        const response = await platform.graphql(row.query, attempt.variables ?? {}, headers[actor]);
        expectOutcome(response, outcome, `${actor} → ${row.name}`);
        await attempt.after?.(outcome, response);
      }
    });
  }

  it('refuses a person acting for an organisation where Altinn gives no role, before anything else', async () => {
    const response = await platform.graphql(
      `{ organization(orgnr: "${FJ}") { name } }`,
      {},
      headers.actsForWithoutRole,
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
    const foreign = await ask(ROOT);
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
    // Its own integration and grant, so no other test's integration loses anything.
    const { headers: integration, grantId } = await grantedIntegration(world(), 'Tilbakekalles');
    const query = `{ resource(id: "${SVARUT}") { name } }`;
    expectOutcome(await platform.graphql(query, {}, integration), 'allow', 'before');
    await asOrgAdmin(world(), REVOKE, { grantId });
    expectOutcome(await platform.graphql(query, {}, integration), 'deny', 'after');
  });
});
