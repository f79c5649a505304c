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
import { readFileSync } from 'node:fs';
import { buildASTSchema, Kind, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_DOCUMENTS,
  DEMO_INTEGRATIONS,
  DEMO_ORGS,
  DEMO_PERSONS,
  DEMO_RESOURCES,
} from '../../common/demo-identities.ts';
import { hasValidPersonNumberCheckDigits, isValidOrgnr } from '../../common/identifiers.ts';
import { loadConfig } from '../../common/config.ts';
import { resolveOperationLimits } from '../../gateway/plugins/operation-limits/limits.ts';
import { measureDocument } from '../../gateway/plugins/operation-limits/measure.ts';
import { SUPERGRAPH_FILE } from '../../schema/supergraph-file.ts';
import { integrationHeaders, personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type GraphQLResponse, type TestPlatform } from '../support/platform.ts';

type Outcome = 'allow' | 'deny' | 'hidden';
type Actor =
  | 'citizen'
  | 'actsForWithRole'
  | 'actsForWithoutRole'
  | 'orgAdmin'
  | 'serviceAdmin'
  | 'narrowPrivilege'
  | 'integrationWithGrant'
  | 'integrationWithoutGrant'
  | 'integrationRevoked'
  | 'otherOrgAdmin'
  | 'platformOperator';
type Headers = Record<string, string>;
type Variables = Record<string, unknown>;

const FJ = DEMO_ORGS.fjordvik.orgnr;
const HEIBERG = DEMO_ORGS.heiberg.orgnr;
const VENDOR = DEMO_ORGS.vendor.orgnr;
const ROOT = DEMO_RESOURCES.fjordvikRoot;
const SVARUT = DEMO_RESOURCES.fjordvikSvarUt;
const OPPVEKST = DEMO_RESOURCES.fjordvikOppvekst;
const CASE_SYSTEM = DEMO_INTEGRATIONS.fjordvikCaseSystem.id;
const SEED_EVENT = 'e0000000-0000-4000-8000-000000000001';

/** Appends the mod-11 check digit for these weights; null when there is none (remainder 1). */
function withCheckDigit(digits: string, weights: number[]): string | null {
  const sum = weights.reduce((acc, w, i) => acc + w * Number(digits[i]), 0);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? null : `${digits}${check}`;
}

let pidSerial = 100;
/** A synthetic person (15 May 1990, month + 80) who is none of the callers, different at every call. */
function freshPid(): string {
  for (;;) {
    const nine = `158590${pidSerial++}`;
    const ten = withCheckDigit(nine, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
    const pid = ten && withCheckDigit(ten, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
    if (pid && hasValidPersonNumberCheckDigits(pid)) return pid;
    if (pidSerial > 999) throw new Error('out of synthetic persons');
  }
}

let orgSerial = 1000;
/** An organisation number nobody has used yet. */
function freshOrgnr(): string {
  for (;;) {
    const orgnr = withCheckDigit(`9560${orgSerial++}`, [3, 2, 7, 6, 5, 4, 3, 2]);
    if (orgnr && isValidOrgnr(orgnr)) return orgnr;
    if (orgSerial > 9999) throw new Error('out of organisation numbers');
  }
}

interface World {
  platform: TestPlatform;
  headers: Record<Actor, Headers>;
}

/** What one caller's attempt at a row runs with. */
interface Attempt {
  variables?: Variables;
  /** Checks, after the call, that the state changed exactly when the outcome says the call was allowed. */
  after?: (outcome: Outcome, response: GraphQLResponse) => Promise<void> | void;
}

interface Row {
  name: string;
  query: string;
  outcomes: Record<Actor, Outcome>;
  /** Before each caller's call: creates what that call would change, and names it in the call's variables. */
  attempt?: (world: World, actor: Actor) => Promise<Attempt>;
}

/** A setup step, done by the organisation's administrator through the gateway; it must succeed. */
async function asOrgAdmin<T>(world: World, query: string, variables: Variables): Promise<T> {
  const response = await world.platform.graphql(query, variables, world.headers.orgAdmin);
  expect(response.body.errors, `setup: ${query}`).toBeUndefined();
  return response.body.data as T;
}

/** After the call: the row the query finds is there exactly when `present`. */
async function expectPresence(
  world: World,
  label: string,
  present: boolean,
  sql: string,
  params: unknown[],
): Promise<void> {
  const rows = await world.platform.db.query(sql, params);
  expect(rows.length, label).toBe(present ? 1 : 0);
}

const GRANT_ROW = `select 1 from organizations.privilege_grant
  where actor_type = 'PERSON' and actor_id = $1 and privilege = $2 and resource_id = $3`;
const TYPE_GRANT_ROW = `select 1 from organizations.type_grant
  where orgnr = $1 and actor_type = 'PERSON' and actor_id = $2 and privilege = $3 and resource_type = $4`;

const CREATE_INTEGRATION = `mutation CreateIntegration($owner: String!, $name: String!) {
  createIntegration(input: { ownerOrgnr: $owner, authorizedOrgnr: "${VENDOR}", name: $name }) {
    password integration { id }
  }
}`;
const GRANT = `mutation Grant($resourceId: ID!, $actorType: ActorType!, $actorId: String!, $privilege: String!) {
  grantPrivilege(resourceId: $resourceId, actorType: $actorType, actorId: $actorId, privilege: $privilege) { id }
}`;
const REVOKE = `mutation Revoke($grantId: ID!) { revokePrivilege(grantId: $grantId) }`;

/** An integration of Fjordvik's, made for one attempt. */
async function fjordvikIntegration(world: World, name: string): Promise<{ id: string; password: string }> {
  const { createIntegration } = await asOrgAdmin<{
    createIntegration: { password: string; integration: { id: string } };
  }>(world, CREATE_INTEGRATION, { owner: FJ, name });
  return { id: createIntegration.integration.id, password: createIntegration.password };
}

/** An integration of Fjordvik's for the vendor's case system, granted SVARUT.SEND on the SvarUt account. */
async function grantedIntegration(
  world: World,
  name: string,
): Promise<{ headers: Headers; grantId: string }> {
  const integration = await fjordvikIntegration(world, name);
  const { grantPrivilege } = await asOrgAdmin<{ grantPrivilege: { id: string } }>(world, GRANT, {
    resourceId: SVARUT,
    actorType: 'INTEGRATION',
    actorId: integration.id,
    privilege: 'SVARUT.SEND',
  });
  return { headers: await integrationHeaders(world.platform, integration), grantId: grantPrivilege.id };
}

async function passwordHashOf(world: World, id: string): Promise<string | undefined> {
  const rows = await world.platform.db.query<{ password_hash: string }>(
    'select password_hash from integrations.integration where id = $1',
    [id],
  );
  return rows[0]?.password_hash;
}

const everyone = (outcome: Outcome): Record<Actor, Outcome> => ({
  citizen: outcome,
  actsForWithRole: outcome,
  actsForWithoutRole: outcome,
  orgAdmin: outcome,
  serviceAdmin: outcome,
  narrowPrivilege: outcome,
  integrationWithGrant: outcome,
  integrationWithoutGrant: outcome,
  integrationRevoked: outcome,
  otherOrgAdmin: outcome,
  platformOperator: outcome,
});

const NOBODY = everyone('deny');
/** The organisation's administrator, and nobody else. */
const ORG_ADMIN_ONLY: Record<Actor, Outcome> = { ...NOBODY, orgAdmin: 'allow' };
/** The administrators of Fjordvik's SvarUt account: the organisation's, and the service's. */
const SVARUT_ADMINS: Record<Actor, Outcome> = { ...NOBODY, orgAdmin: 'allow', serviceAdmin: 'allow' };
/** Heiberg's administrator, and nobody else. */
const HEIBERG_ADMIN_ONLY: Record<Actor, Outcome> = { ...NOBODY, otherOrgAdmin: 'allow' };

/** The organisations each caller holds a grant in (what `organizations` lists); nobody else holds any. */
const MEMBER_OF: Partial<Record<Actor, string[]>> = {
  orgAdmin: [FJ],
  serviceAdmin: [FJ],
  narrowPrivilege: [FJ],
  integrationWithGrant: [FJ],
  otherOrgAdmin: [HEIBERG],
};

const createResourceRow = (name: string, parentId: string, outcomes: Record<Actor, Outcome>): Row => ({
  name,
  query: `mutation CreateResource($parentId: ID!, $name: String!) {
    createResource(parentId: $parentId, type: "AVDELING", name: $name) { id }
  }`,
  outcomes,
  attempt: (world, actor) => {
    const resourceName = `Matrise ${actor}`;
    return Promise.resolve({
      variables: { parentId, name: resourceName },
      after: (outcome) =>
        expectPresence(
          world,
          `${actor}: resource created`,
          outcome === 'allow',
          'select 1 from organizations.resource where parent_id = $1 and name = $2',
          [parentId, resourceName],
        ),
    });
  },
});

const grantRow = (name: string, resourceId: string, outcomes: Record<Actor, Outcome>): Row => ({
  name,
  query: `mutation GrantPrivilege($resourceId: ID!, $pid: String!) {
    grantPrivilege(resourceId: $resourceId, actorType: PERSON, actorId: $pid, privilege: "ARKIV.LES") { id privilege }
  }`,
  outcomes,
  attempt: (world, actor) => {
    const pid = freshPid();
    return Promise.resolve({
      variables: { resourceId, pid },
      after: (outcome) =>
        expectPresence(world, `${actor}: grant made`, outcome === 'allow', GRANT_ROW, [
          pid,
          'ARKIV.LES',
          resourceId,
        ]),
    });
  },
});

const revokeRow = (name: string, resourceId: string, outcomes: Record<Actor, Outcome>): Row => ({
  name,
  query: REVOKE,
  outcomes,
  attempt: async (world, actor) => {
    const pid = freshPid();
    const { grantPrivilege } = await asOrgAdmin<{ grantPrivilege: { id: string } }>(world, GRANT, {
      resourceId,
      actorType: 'PERSON',
      actorId: pid,
      privilege: 'ARKIV.LES',
    });
    return {
      variables: { grantId: grantPrivilege.id },
      after: (outcome) =>
        expectPresence(world, `${actor}: grant still there`, outcome !== 'allow', GRANT_ROW, [
          pid,
          'ARKIV.LES',
          resourceId,
        ]),
    };
  },
});

const APPOINT = `mutation Appoint($resourceId: ID!, $pid: String!) {
  appointAdministrator(resourceId: $resourceId, pid: $pid) { id privilege }
}`;

const appointRow = (name: string, resourceId: string, outcomes: Record<Actor, Outcome>): Row => ({
  name,
  query: APPOINT,
  outcomes,
  attempt: (world, actor) => {
    const pid = freshPid();
    return Promise.resolve({
      variables: { resourceId, pid },
      after: (outcome) =>
        expectPresence(world, `${actor}: administrator appointed`, outcome === 'allow', GRANT_ROW, [
          pid,
          'ADMIN',
          resourceId,
        ]),
    });
  },
});

const removeAdministratorRow = (name: string, resourceId: string, outcomes: Record<Actor, Outcome>): Row => ({
  name,
  query: `mutation Remove($resourceId: ID!, $pid: String!) { removeAdministrator(resourceId: $resourceId, pid: $pid) }`,
  outcomes,
  attempt: async (world, actor) => {
    const pid = freshPid();
    await asOrgAdmin(world, APPOINT, { resourceId, pid });
    return {
      variables: { resourceId, pid },
      after: (outcome) =>
        expectPresence(world, `${actor}: administrator still there`, outcome !== 'allow', GRANT_ROW, [
          pid,
          'ADMIN',
          resourceId,
        ]),
    };
  },
});

/** Operation → the outcome for each actor. */
const MATRIX: Row[] = [
  // Queries.
  {
    name: 'who am I',
    query: '{ me { kind } }',
    outcomes: { ...everyone('allow'), actsForWithoutRole: 'deny' },
  },
  {
    name: 'my organisations',
    query: '{ organizations { orgnr name } }',
    outcomes: {
      citizen: 'hidden',
      actsForWithRole: 'hidden',
      actsForWithoutRole: 'deny',
      orgAdmin: 'allow',
      serviceAdmin: 'allow',
      narrowPrivilege: 'allow',
      integrationWithGrant: 'allow',
      integrationWithoutGrant: 'hidden',
      integrationRevoked: 'hidden',
      otherOrgAdmin: 'allow',
      platformOperator: 'hidden',
    },
    // Exactly the organisations the caller holds a grant in, and no other.
    attempt: (_world, actor) =>
      Promise.resolve({
        after: (outcome, response) => {
          if (outcome === 'deny') return;
          const listed = (response.body.data?.organizations as { orgnr: string }[]).map((o) => o.orgnr);
          expect(listed, `${actor}: organisations listed`).toEqual(MEMBER_OF[actor] ?? []);
        },
      }),
  },
  {
    name: 'organisation name',
    query: `{ organization(orgnr: "${FJ}") { name } }`,
    outcomes: { ...everyone('allow'), actsForWithoutRole: 'deny' },
  },
  {
    name: 'resource tree',
    query: `{ organization(orgnr: "${FJ}") { resources { type name } } }`,
    outcomes: {
      citizen: 'deny',
      actsForWithRole: 'deny',
      actsForWithoutRole: 'deny',
      orgAdmin: 'allow',
      serviceAdmin: 'allow',
      narrowPrivilege: 'allow',
      integrationWithGrant: 'allow',
      integrationWithoutGrant: 'deny',
      integrationRevoked: 'deny',
      otherOrgAdmin: 'deny',
      platformOperator: 'deny',
    },
  },
  ...(
    [
      'integrations { name }',
      'integrationGrants { privilege }',
      'documents { title }',
      'auditEvents { action }',
    ] as const
  ).map((selection) => ({
    name: `organisation's ${selection.split(' ')[0]}`,
    query: `{ organization(orgnr: "${FJ}") { ${selection} } }`,
    outcomes: ORG_ADMIN_ONLY,
  })),
  {
    name: "one of the organisation's resources",
    query: `{ resource(id: "${ROOT}") { name } }`,
    outcomes: {
      ...NOBODY,
      orgAdmin: 'allow',
      serviceAdmin: 'allow',
      narrowPrivilege: 'allow',
      integrationWithGrant: 'allow',
    },
  },
  {
    name: "one of another organisation's resources",
    query: `{ resource(id: "${DEMO_RESOURCES.heibergRoot}") { name } }`,
    outcomes: HEIBERG_ADMIN_ONLY,
  },
  {
    name: 'grants on the root resource',
    query: `{ resource(id: "${ROOT}") { grants { actorId privilege } } }`,
    outcomes: ORG_ADMIN_ONLY,
  },
  {
    name: 'grants on the SvarUt account',
    query: `{ resource(id: "${SVARUT}") { grants { privilege } } }`,
    outcomes: SVARUT_ADMINS,
  },
  {
    name: 'who may send from the SvarUt account',
    query: `{ whoMay(privilege: "SVARUT.SEND", resourceId: "${SVARUT}") { actorType privilege } }`,
    outcomes: SVARUT_ADMINS,
  },
  {
    name: 'who may read in the whole organisation',
    query: `{ whoMay(privilege: "ARKIV.LES", resourceId: "${ROOT}") { actorType privilege } }`,
    outcomes: ORG_ADMIN_ONLY,
  },
  {
    name: 'what the caseworker may do in Fjordvik',
    query: `{ whatMay(actorType: PERSON, actorId: "${DEMO_PERSONS.per.pid}", orgnr: "${FJ}") { privilege resource { name } } }`,
    outcomes: { ...NOBODY, orgAdmin: 'allow', narrowPrivilege: 'allow' },
  },
  {
    // Heiberg's administrator may ask about anyone in Heiberg, and learns nothing of what they hold in Fjordvik.
    name: 'what the caseworker may do in Heiberg',
    query: `{ whatMay(actorType: PERSON, actorId: "${DEMO_PERSONS.per.pid}", orgnr: "${HEIBERG}") { privilege resource { name } } }`,
    outcomes: { ...NOBODY, narrowPrivilege: 'hidden', otherOrgAdmin: 'hidden' },
  },
  {
    name: "what Fjordvik's case system may do there",
    query: `{ whatMay(actorType: INTEGRATION, actorId: "${CASE_SYSTEM}", orgnr: "${FJ}") { privilege resource { name } } }`,
    outcomes: { ...NOBODY, orgAdmin: 'allow', integrationWithGrant: 'allow' },
  },
  {
    name: 'a document exposed to a citizen',
    query: `{ document(id: "${DEMO_DOCUMENTS.kindergartenDecision}") { title exposedTo { kind } } }`,
    outcomes: { ...everyone('hidden'), actsForWithoutRole: 'deny', citizen: 'allow', orgAdmin: 'allow' },
  },
  {
    name: 'a document exposed to an organisation and to a privilege',
    query: `{ document(id: "${DEMO_DOCUMENTS.buildingPermit}") { title } }`,
    outcomes: {
      citizen: 'hidden',
      actsForWithRole: 'allow',
      actsForWithoutRole: 'deny',
      orgAdmin: 'allow',
      serviceAdmin: 'allow',
      narrowPrivilege: 'hidden',
      integrationWithGrant: 'allow',
      integrationWithoutGrant: 'hidden',
      integrationRevoked: 'hidden',
      otherOrgAdmin: 'hidden',
      platformOperator: 'hidden',
    },
  },
  {
    name: 'a document exposed to an integration',
    query: `{ document(id: "${DEMO_DOCUMENTS.caseFile}") { title organization { name } } }`,
    outcomes: {
      ...everyone('hidden'),
      actsForWithoutRole: 'deny',
      orgAdmin: 'allow',
      integrationWithGrant: 'allow',
    },
  },
  {
    name: 'an integration',
    query: `{ integration(id: "${CASE_SYSTEM}") { name enabled } }`,
    outcomes: {
      ...everyone('hidden'),
      actsForWithoutRole: 'deny',
      orgAdmin: 'allow',
      integrationWithGrant: 'allow',
    },
  },
  {
    name: 'a global integration',
    query: `{ integration(id: "${DEMO_INTEGRATIONS.innsyn.id}") { name global } }`,
    outcomes: {
      ...everyone('hidden'),
      actsForWithoutRole: 'deny',
      orgAdmin: 'allow',
      otherOrgAdmin: 'allow',
    },
  },
  {
    name: 'an audit event',
    query: `{ auditEvent(id: "${SEED_EVENT}") { action dataSubject } }`,
    outcomes: { ...everyone('hidden'), actsForWithoutRole: 'deny', orgAdmin: 'allow' },
  },

  // Integrations: only an administrator of the owning organisation manages them; an integration never does.
  {
    name: 'creating an integration for Fjordvik',
    query: CREATE_INTEGRATION,
    outcomes: ORG_ADMIN_ONLY,
    attempt: (world, actor) => {
      const name = `Matrise ${actor}`;
      return Promise.resolve({
        variables: { owner: FJ, name },
        after: (outcome) =>
          expectPresence(
            world,
            `${actor}: integration created`,
            outcome === 'allow',
            'select 1 from integrations.integration where owner_orgnr = $1 and name = $2',
            [FJ, name],
          ),
      });
    },
  },
  {
    name: "rotating the password of one of Fjordvik's integrations",
    query: `mutation Rotate($id: ID!) { rotateIntegrationPassword(id: $id) { password integration { id } } }`,
    outcomes: ORG_ADMIN_ONLY,
    attempt: async (world, actor) => {
      const { id } = await fjordvikIntegration(world, `Rotasjon ${actor}`);
      const before = await passwordHashOf(world, id);
      return {
        variables: { id },
        after: async (outcome) => {
          const changed = (await passwordHashOf(world, id)) !== before;
          expect(changed, `${actor}: password replaced`).toBe(outcome === 'allow');
        },
      };
    },
  },
  {
    // Visible to every organisation's administrators; managed by its owner's only.
    name: "rotating the password of Heiberg's global integration",
    query: `mutation Rotate($id: ID!) { rotateIntegrationPassword(id: $id) { password integration { id } } }`,
    outcomes: HEIBERG_ADMIN_ONLY,
    attempt: async (world, actor) => {
      const id = DEMO_INTEGRATIONS.innsyn.id;
      const before = await passwordHashOf(world, id);
      return {
        variables: { id },
        after: async (outcome) => {
          const changed = (await passwordHashOf(world, id)) !== before;
          expect(changed, `${actor}: password replaced`).toBe(outcome === 'allow');
        },
      };
    },
  },
  {
    name: "disabling one of Fjordvik's integrations",
    query: `mutation Disable($id: ID!) { setIntegrationEnabled(id: $id, enabled: false) { id enabled } }`,
    outcomes: ORG_ADMIN_ONLY,
    attempt: async (world, actor) => {
      const { id } = await fjordvikIntegration(world, `Deaktivering ${actor}`);
      return {
        variables: { id },
        after: (outcome) =>
          expectPresence(
            world,
            `${actor}: integration still enabled`,
            outcome !== 'allow',
            'select 1 from integrations.integration where id = $1 and enabled',
            [id],
          ),
      };
    },
  },

  // The privilege store's own API. Each attempt names a person who is no caller here, fresh for that attempt.
  {
    name: 'creating an organisation',
    query: `mutation CreateOrganization($orgnr: String!, $pid: String!) {
      createOrganization(orgnr: $orgnr, name: "Matrise kommune", administratorPid: $pid) { orgnr }
    }`,
    outcomes: { ...NOBODY, platformOperator: 'allow' },
    attempt: (world, actor) => {
      const orgnr = freshOrgnr();
      return Promise.resolve({
        variables: { orgnr, pid: freshPid() },
        after: (outcome) =>
          expectPresence(
            world,
            `${actor}: organisation created`,
            outcome === 'allow',
            'select 1 from organizations.organization where orgnr = $1',
            [orgnr],
          ),
      });
    },
  },
  createResourceRow('creating a department beneath a department', OPPVEKST, ORG_ADMIN_ONLY),
  createResourceRow('creating a resource beneath the SvarUt account', SVARUT, SVARUT_ADMINS),
  grantRow('granting a privilege on a department', OPPVEKST, ORG_ADMIN_ONLY),
  grantRow('granting a privilege on the SvarUt account', SVARUT, SVARUT_ADMINS),
  grantRow("granting a privilege on Heiberg's root", DEMO_RESOURCES.heibergRoot, HEIBERG_ADMIN_ONLY),
  revokeRow('revoking a grant on a department', OPPVEKST, ORG_ADMIN_ONLY),
  revokeRow('revoking a grant on the SvarUt account', SVARUT, SVARUT_ADMINS),
  {
    name: 'granting a privilege on every SvarUt account',
    query: `mutation TypeGrant($pid: String!) {
      grantTypePrivilege(orgnr: "${FJ}", resourceType: "SVARUT.KONTO", actorType: PERSON, actorId: $pid, privilege: "SVARUT.LES") { id privilege }
    }`,
    outcomes: ORG_ADMIN_ONLY,
    attempt: (world, actor) => {
      const pid = freshPid();
      return Promise.resolve({
        variables: { pid },
        after: (outcome) =>
          expectPresence(world, `${actor}: type grant made`, outcome === 'allow', TYPE_GRANT_ROW, [
            FJ,
            pid,
            'SVARUT.LES',
            'SVARUT.KONTO',
          ]),
      });
    },
  },
  {
    name: 'revoking a type grant',
    query: `mutation RevokeType($id: ID!) { revokeTypePrivilege(id: $id) }`,
    outcomes: ORG_ADMIN_ONLY,
    attempt: async (world, actor) => {
      const pid = freshPid();
      const { grantTypePrivilege } = await asOrgAdmin<{ grantTypePrivilege: { id: string } }>(
        world,
        `mutation TypeGrant($pid: String!) {
          grantTypePrivilege(orgnr: "${FJ}", resourceType: "SVARUT.KONTO", actorType: PERSON, actorId: $pid, privilege: "SVARUT.LES") { id }
        }`,
        { pid },
      );
      return {
        variables: { id: grantTypePrivilege.id },
        after: (outcome) =>
          expectPresence(world, `${actor}: type grant still there`, outcome !== 'allow', TYPE_GRANT_ROW, [
            FJ,
            pid,
            'SVARUT.LES',
            'SVARUT.KONTO',
          ]),
      };
    },
  },
  appointRow('appointing an administrator of the SvarUt account', SVARUT, SVARUT_ADMINS),
  appointRow('appointing an administrator of the whole organisation', ROOT, ORG_ADMIN_ONLY),
  removeAdministratorRow('removing an administrator of the SvarUt account', SVARUT, SVARUT_ADMINS),
  removeAdministratorRow('removing an administrator of the whole organisation', ROOT, ORG_ADMIN_ONLY),
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
    headers.integrationWithoutGrant = await integrationHeaders(platform, { id: integration.id, password });
    // An integration that held what Fjordvik's case system holds, until Fjordvik's administrator revoked it.
    const revoked = await grantedIntegration(world(), 'Tilbakekalt');
    const tree = `{ organization(orgnr: "${FJ}") { resources { name } } }`;
    expectOutcome(await platform.graphql(tree, {}, revoked.headers), 'allow', 'before revocation');
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
    const query = `{ organization(orgnr: "${FJ}") { resources { name } } }`;
    expectOutcome(await platform.graphql(query, {}, integration), 'allow', 'before');
    await asOrgAdmin(world(), REVOKE, { grantId });
    expectOutcome(await platform.graphql(query, {}, integration), 'deny', 'after');
  });
});
