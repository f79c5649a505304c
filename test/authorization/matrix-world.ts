// The authorization matrix's world: the kinds of caller, the expected outcomes, the row shape, and the helpers that
// rows use to prepare and check state (fresh synthetic persons and organisations, set-up steps as Fjordvik's
// administrator). The rows are in matrix-rows.ts; the runner in matrix.test.ts.
import { expect } from 'vitest';
import { DEMO_INTEGRATIONS, DEMO_ORGS, DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import { hasValidPersonNumberCheckDigits, isValidOrgnr } from '../../common/identifiers.ts';
import { integrationHeaders } from '../support/identity.ts';
import type { GraphQLResponse, TestPlatform } from '../support/platform.ts';

/** 'stepUp': INSUFFICIENT_AUTHENTICATION_LEVEL with where to log in at a higher level, and no data (every person in
 * the matrix logs in at idporten-loa-substantial). */
export type Outcome = 'allow' | 'deny' | 'hidden' | 'stepUp';
export type Actor =
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
  | 'platformOperator'
  // Reading the audit log (issue #10): Aud, granted AUDIT.READ on Fjordvik's root; and an integration granted
  // nothing, calling with Ola's (the citizen's) ID-porten token.
  | 'auditReader'
  | 'integrationForPerson';
export type Headers = Record<string, string>;
export type Variables = Record<string, unknown>;

export const FJ = DEMO_ORGS.fjordvik.orgnr;
export const HEIBERG = DEMO_ORGS.heiberg.orgnr;
export const VENDOR = DEMO_ORGS.vendor.orgnr;
export const ROOT = DEMO_RESOURCES.fjordvikRoot;
export const SVARUT = DEMO_RESOURCES.fjordvikSvarUt;
export const OPPVEKST = DEMO_RESOURCES.fjordvikOppvekst;
export const CASE_SYSTEM = DEMO_INTEGRATIONS.fjordvikCaseSystem.id;
export const SEED_EVENT = 'e0000000-0000-4000-8000-000000000001';

/** Appends the mod-11 check digit for these weights; null when there is none (remainder 1). */
function withCheckDigit(digits: string, weights: number[]): string | null {
  const sum = weights.reduce((acc, w, i) => acc + w * Number(digits[i]), 0);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? null : `${digits}${check}`;
}

let pidSerial = 100;
/** A synthetic person (15 May 1990, month + 80) who is none of the callers, different at every call. */
export function freshPid(): string {
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
export function freshOrgnr(): string {
  for (;;) {
    const orgnr = withCheckDigit(`9560${orgSerial++}`, [3, 2, 7, 6, 5, 4, 3, 2]);
    if (orgnr && isValidOrgnr(orgnr)) return orgnr;
    if (orgSerial > 9999) throw new Error('out of organisation numbers');
  }
}

/** The person behind each caller who is one, or who calls with a person's token (the citizen's). */
export const PERSON_BEHIND: Partial<Record<Actor, string>> = {
  citizen: DEMO_PERSONS.ola.pid,
  integrationForPerson: DEMO_PERSONS.ola.pid,
  actsForWithRole: DEMO_PERSONS.liv.pid,
  actsForWithoutRole: DEMO_PERSONS.kari.pid,
  orgAdmin: DEMO_PERSONS.kari.pid,
  serviceAdmin: DEMO_PERSONS.siri.pid,
  narrowPrivilege: DEMO_PERSONS.per.pid,
  otherOrgAdmin: DEMO_PERSONS.hans.pid,
  platformOperator: DEMO_PERSONS.operator.pid,
  auditReader: DEMO_PERSONS.aud.pid,
};

export interface World {
  platform: TestPlatform;
  headers: Record<Actor, Headers>;
}

/** What one caller's attempt at a row runs with. */
export interface Attempt {
  variables?: Variables;
  /** Checks, after the call, that the state changed exactly when the outcome says the call was allowed. */
  after?: (outcome: Outcome, response: GraphQLResponse) => Promise<void> | void;
}

export interface Row {
  name: string;
  query: string;
  outcomes: Record<Actor, Outcome>;
  /** Before each caller's call: creates what that call would change, and names it in the call's variables. */
  attempt?: (world: World, actor: Actor) => Promise<Attempt>;
}

/** A setup step, done by the organisation's administrator through the gateway; it must succeed. */
export async function asOrgAdmin<T>(world: World, query: string, variables: Variables): Promise<T> {
  const response = await world.platform.graphql(query, variables, world.headers.orgAdmin);
  expect(response.body.errors, `setup: ${query}`).toBeUndefined();
  return response.body.data as T;
}

/** After the call: the row the query finds is there exactly when `present`. */
export async function expectPresence(
  world: World,
  label: string,
  present: boolean,
  sql: string,
  params: unknown[],
): Promise<void> {
  const rows = await world.platform.db.query(sql, params);
  expect(rows.length, label).toBe(present ? 1 : 0);
}

export const GRANT_ROW = `select 1 from organizations.privilege_grant
  where actor_type = 'PERSON' and actor_id = $1 and privilege = $2 and resource_id = $3`;
export const TYPE_GRANT_ROW = `select 1 from organizations.type_grant
  where orgnr = $1 and actor_type = 'PERSON' and actor_id = $2 and privilege = $3 and resource_type = $4`;

export const CREATE_INTEGRATION = `mutation CreateIntegration($owner: String!, $name: String!) {
  createIntegration(input: { ownerOrgnr: $owner, authorizedOrgnr: "${VENDOR}", name: $name }) {
    password integration { id }
  }
}`;
export const GRANT = `mutation Grant($resourceId: ID!, $actorType: ActorType!, $actorId: String!, $privilege: String!) {
  grantPrivilege(resourceId: $resourceId, actorType: $actorType, actorId: $actorId, privilege: $privilege) { id }
}`;
export const REVOKE = `mutation Revoke($grantId: ID!) { revokePrivilege(grantId: $grantId) }`;

/** The law an audit reader's grant rests on: the municipality's internal control of who accessed what. */
export const AUDIT_READ_BASIS = 'kommuneloven § 25-1';

/** Grants AUDIT.READ with its legal basis: the log is personal data, read only on a legal basis (#10 item 3). */
export const GRANT_AUDIT_READ = `mutation GrantAuditRead($resourceId: ID!, $pid: String!, $legalBasis: String!) {
  grantPrivilege(resourceId: $resourceId, actorType: PERSON, actorId: $pid, privilege: "AUDIT.READ",
                 legalBasis: $legalBasis) { id }
}`;

/** An integration of Fjordvik's, made for one attempt. */
/** The matrix is about who may do what, not about trusted operations (test/gateway/trusted-operations.test.ts):
 * the integrations it creates run free-form operations, in `audit` mode rather than the default `safelist`. */
export const AUDIT_MODE = `mutation AuditMode($id: ID!) { setIntegrationOperationsMode(id: $id, mode: AUDIT) { id } }`;

export async function fjordvikIntegration(
  world: World,
  name: string,
): Promise<{ id: string; password: string }> {
  const { createIntegration } = await asOrgAdmin<{
    createIntegration: { password: string; integration: { id: string } };
  }>(world, CREATE_INTEGRATION, { owner: FJ, name });
  await asOrgAdmin(world, AUDIT_MODE, { id: createIntegration.integration.id });
  return { id: createIntegration.integration.id, password: createIntegration.password };
}

/** An integration of Fjordvik's for the vendor's case system, granted SVARUT.SEND on the SvarUt account. */
export async function grantedIntegration(
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

export async function passwordHashOf(world: World, id: string): Promise<string | undefined> {
  const rows = await world.platform.db.query<{ password_hash: string }>(
    'select password_hash from integrations.integration where id = $1',
    [id],
  );
  return rows[0]?.password_hash;
}

export const everyone = (outcome: Outcome): Record<Actor, Outcome> => ({
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
  auditReader: outcome,
  integrationForPerson: outcome,
});

export const NOBODY = everyone('deny');
/** The organisation's administrator, and nobody else. */
export const ORG_ADMIN_ONLY: Record<Actor, Outcome> = { ...NOBODY, orgAdmin: 'allow' };
/** The administrators of Fjordvik's SvarUt account: the organisation's, and the service's. */
export const SVARUT_ADMINS: Record<Actor, Outcome> = { ...NOBODY, orgAdmin: 'allow', serviceAdmin: 'allow' };
/** Those who read Fjordvik's audit log: its administrator, and the holder of AUDIT.READ on its root. */
export const FJORDVIK_LOG_READERS: Record<Actor, Outcome> = {
  ...NOBODY,
  orgAdmin: 'allow',
  auditReader: 'allow',
};
/** Heiberg's administrator, and nobody else. */
export const HEIBERG_ADMIN_ONLY: Record<Actor, Outcome> = { ...NOBODY, otherOrgAdmin: 'allow' };

/** The organisations each caller holds a grant in (what `organizations` lists); nobody else holds any. */
export const MEMBER_OF: Partial<Record<Actor, string[]>> = {
  orgAdmin: [FJ],
  serviceAdmin: [FJ],
  narrowPrivilege: [FJ],
  integrationWithGrant: [FJ],
  otherOrgAdmin: [HEIBERG],
  auditReader: [FJ],
};

export const createResourceRow = (name: string, parentId: string, outcomes: Record<Actor, Outcome>): Row => ({
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

export const grantRow = (name: string, resourceId: string, outcomes: Record<Actor, Outcome>): Row => ({
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

export const revokeRow = (name: string, resourceId: string, outcomes: Record<Actor, Outcome>): Row => ({
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

export const APPOINT = `mutation Appoint($resourceId: ID!, $pid: String!) {
  appointAdministrator(resourceId: $resourceId, pid: $pid) { id privilege }
}`;

export const appointRow = (name: string, resourceId: string, outcomes: Record<Actor, Outcome>): Row => ({
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

export const removeAdministratorRow = (
  name: string,
  resourceId: string,
  outcomes: Record<Actor, Outcome>,
): Row => ({
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
