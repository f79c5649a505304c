// Trusted operations through the whole platform (issue #12 items 1, 2, 3, 7): an integration held to its safelist by
// default; each way of naming an operation in each mode; Apollo Router's codes and statuses with the request id and
// no-store; registration through GraphQL, audited and refused for non-administrators; reload without a restart of the
// global list and of an integration's list; per-operation limits bounded by the ceiling.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INTEGRATIONS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { operationId } from '../../common/operation-id.ts';
import { personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type GraphQLResponse, type TestPlatform } from '../support/platform.ts';

type Body = GraphQLResponse['body'];

const ME = '{ me { kind integrationId } }';
const GLOBAL_ME = 'query GlobalMe { me { kind } }';
const NOT_REGISTERED = '{ me { kind integrationId organization { orgnr } } }';
const integrationId = DEMO_INTEGRATIONS.fjordvikCaseSystem.id;

let platform: TestPlatform;
let operationsDir: string;
let kari: Record<string, string>;
let ola: Record<string, string>;

async function post(body: Record<string, unknown>, headers: Record<string, string>) {
  const response = await fetch(`${platform.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Body };
}

async function get(params: Record<string, string>, headers: Record<string, string>) {
  const response = await fetch(`${platform.gatewayUrl}/graphql?${new URLSearchParams(params).toString()}`, {
    headers: { 'apollo-require-preflight': 'true', ...headers },
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Body };
}

async function register(
  operations: { sha256: string; body: string; name?: string; limits?: Record<string, number> }[],
  as = kari,
) {
  return platform.graphql(
    `mutation ($id: ID!, $operations: [TrustedOperationInput!]!) {
       registerTrustedOperations(integrationId: $id, operations: $operations) { operationsVersion }
     }`,
    { id: integrationId, operations },
    as,
  );
}

async function setMode(mode: string) {
  const response = await platform.graphql(
    'mutation ($id: ID!, $mode: TrustedOperationsMode!) { setIntegrationOperationsMode(id: $id, mode: $mode) { operationsMode } }',
    { id: integrationId, mode },
    kari,
  );
  expect(response.body.errors).toBeUndefined();
}

function expectRefused(
  response: { status: number; headers: Headers; body: Body },
  code: string,
  status: number,
) {
  expect(response.status).toBe(status);
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors?.[0]?.extensions?.code).toBe(code);
  expect(response.body.errors?.[0]?.extensions?.requestId).toBe(response.headers.get('x-request-id'));
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.body.data).toBeUndefined();
}

beforeAll(async () => {
  operationsDir = await mkdtemp(join(tmpdir(), 'fiks-operations-'));
  await writeFile(
    join(operationsDir, 'global.json'),
    JSON.stringify({ [operationId(GLOBAL_ME)]: GLOBAL_ME }), // graphql-codegen's persisted-documents.json
  );
  platform = await startTestPlatform(
    { OPERATIONS_DIR: operationsDir, OPERATIONS_CHECK_INTERVAL_MS: '0' },
    { integrationOperationsMode: 'safelist' },
  );
  kari = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.kari.pid)}` };
  ola = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.ola.pid)}` };
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  await rm(operationsDir, { recursive: true, force: true });
});

describe('trusted operations / registration', () => {
  it('refuses a registration whose sha256 is not that of its body, and stores nothing', async () => {
    const response = await register([{ sha256: operationId(`${ME} `), body: ME }]);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const list = await platform.graphql(
      'query ($id: ID!) { integration(id: $id) { operationsVersion trustedOperations { sha256 } } }',
      { id: integrationId },
      kari,
    );
    expect(list.body.data).toEqual({ integration: { operationsVersion: 0, trustedOperations: [] } });
  });

  it('refuses a person who does not administer the owning organisation, and the integration itself', async () => {
    const byOla = await register([{ sha256: operationId(ME), body: ME }], ola);
    expect(byOla.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // The integration, held to its safelist, cannot even send the mutation (and the subgraph's rule is isPerson).
    const byItself = await register([{ sha256: operationId(ME), body: ME }], await platform.asIntegration());
    expect(byItself.body.errors?.[0]?.extensions?.code).toBe('QUERY_NOT_IN_SAFELIST');
  });

  it('registers an administrator’s list, bumps the version and writes an audit event naming the ids', async () => {
    const response = await register([{ sha256: operationId(ME), body: ME, name: 'Me' }]);
    expect(response.body).toEqual({ data: { registerTrustedOperations: { operationsVersion: 1 } } });
    const events = await platform.db.query<{ payload: Record<string, unknown> }>(
      `select payload from audit.event where action = 'INTEGRATION_OPERATIONS_REGISTERED'`,
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      integrationId,
      version: 1,
      count: 1,
      operations: [operationId(ME)],
    });
  });
});

describe('trusted operations / an integration in safelist mode (the default)', () => {
  it('is the default of an integration', async () => {
    const response = await platform.graphql(
      'query ($id: ID!) { integration(id: $id) { operationsMode } }',
      { id: DEMO_INTEGRATIONS.innsyn.id },
      kari,
    );
    expect(response.body.data).toEqual({ integration: { operationsMode: 'SAFELIST' } });
  });

  it('runs a registered operation by extensions.persistedQuery.sha256Hash, by documentId and by ?documentId=', async () => {
    const headers = await platform.asIntegration();
    const expected = { data: { me: { kind: 'INTEGRATION', integrationId } } };
    const byExtension = await post(
      { extensions: { persistedQuery: { version: 1, sha256Hash: operationId(ME) } } },
      headers,
    );
    expect(byExtension.body).toEqual(expected);
    expect((await post({ documentId: operationId(ME) }, headers)).body).toEqual(expected);
    expect((await get({ documentId: operationId(ME) }, headers)).body).toEqual(expected);
  });

  it('runs a registered operation sent as its exact text, and one from the global list', async () => {
    const headers = await platform.asIntegration();
    expect((await post({ query: ME }, headers)).body.data).toEqual({
      me: { kind: 'INTEGRATION', integrationId },
    });
    expect((await post({ documentId: operationId(GLOBAL_ME) }, headers)).body.data).toEqual({
      me: { kind: 'INTEGRATION' },
    });
  });

  it('refuses unregistered text with 403 QUERY_NOT_IN_SAFELIST, an unknown id with 404 PERSISTED_QUERY_NOT_IN_LIST', async () => {
    const headers = await platform.asIntegration();
    expectRefused(await post({ query: NOT_REGISTERED }, headers), 'QUERY_NOT_IN_SAFELIST', 403);
    expectRefused(
      await post({ documentId: operationId(NOT_REGISTERED) }, headers),
      'PERSISTED_QUERY_NOT_IN_LIST',
      404,
    );
    expectRefused(await get({ documentId: 'not-a-hash' }, headers), 'PERSISTED_QUERY_NOT_IN_LIST', 404);
  });

  it('refuses an id together with text (400 CANNOT_SEND_PQ_ID_AND_BODY), even when they agree', async () => {
    const headers = await platform.asIntegration();
    expectRefused(
      await post({ query: ME, documentId: operationId(ME) }, headers),
      'CANNOT_SEND_PQ_ID_AND_BODY',
      400,
    );
  });

  it('lets no client register text by hash through Apollo’s automatic persisted queries', async () => {
    const headers = await platform.asIntegration();
    const apq = { persistedQuery: { version: 1, sha256Hash: operationId(NOT_REGISTERED) } };
    expectRefused(
      await post({ query: NOT_REGISTERED, extensions: apq }, headers),
      'CANNOT_SEND_PQ_ID_AND_BODY',
      400,
    );
    expectRefused(await post({ extensions: apq }, headers), 'PERSISTED_QUERY_NOT_IN_LIST', 404);
  });

  it('does not let one integration run another integration’s registered operation', async () => {
    // Ola's own frontend runs in the persons' mode (audit by default), but an id only another integration
    // registered is no operation of the global list: it is unknown to him.
    expectRefused(await post({ documentId: operationId(ME) }, ola), 'PERSISTED_QUERY_NOT_IN_LIST', 404);
  });
});

describe('trusted operations / modes', () => {
  it('id-only refuses any text, registered or not, with 400 PERSISTED_QUERY_ID_REQUIRED; ids still run', async () => {
    await setMode('ID_ONLY');
    const headers = await platform.asIntegration();
    expectRefused(await post({ query: ME }, headers), 'PERSISTED_QUERY_ID_REQUIRED', 400);
    expectRefused(await post({ query: NOT_REGISTERED }, headers), 'PERSISTED_QUERY_ID_REQUIRED', 400);
    expect((await post({ documentId: operationId(ME) }, headers)).body.data).toBeDefined();
    expectRefused(
      await post({ documentId: operationId(NOT_REGISTERED) }, headers),
      'PERSISTED_QUERY_NOT_IN_LIST',
      404,
    );
  });

  it('audit runs anything and logs an unregistered operation by its hash, never its text', async () => {
    await setMode('AUDIT');
    const headers = await platform.asIntegration();
    const response = await post({ query: NOT_REGISTERED }, headers);
    expect(response.body.data).toMatchObject({ me: { kind: 'INTEGRATION' } });
    expect((await post({ query: ME }, headers)).body.data).toBeDefined();
    expectRefused(
      await post({ documentId: operationId(NOT_REGISTERED) }, headers),
      'PERSISTED_QUERY_NOT_IN_LIST',
      404,
    );
    const lines = platform.logs.filter((line) => line.includes('unregistered operation ran'));
    expect(lines.some((line) => line.includes(operationId(NOT_REGISTERED)))).toBe(true);
    expect(platform.logs.some((line) => line.includes('organization { orgnr }'))).toBe(false);
    await setMode('SAFELIST');
  });

  it('holds persons to OPERATIONS_PERSON_MODE (audit by default): free text runs', async () => {
    expect((await post({ query: NOT_REGISTERED }, ola)).body.data).toMatchObject({ me: { kind: 'PERSON' } });
  });
});

describe('trusted operations / reload without a restart', () => {
  it('sees an integration’s new list at its next call, and no longer the old one', async () => {
    const other = '{ me { integrationId } }';
    expect((await register([{ sha256: operationId(other), body: other }])).body.errors).toBeUndefined();
    const headers = await platform.asIntegration();
    expect((await post({ documentId: operationId(other) }, headers)).body.data).toEqual({
      me: { integrationId },
    });
    expectRefused(await post({ documentId: operationId(ME) }, headers), 'PERSISTED_QUERY_NOT_IN_LIST', 404);
    expect((await register([{ sha256: operationId(ME), body: ME }])).body.errors).toBeUndefined();
  });

  it('sees a manifest added to the global folder, in Apollo’s format', async () => {
    const added = 'query Added { me { kind integrationId } }';
    const headers = await platform.asIntegration();
    expectRefused(
      await post({ documentId: operationId(added) }, headers),
      'PERSISTED_QUERY_NOT_IN_LIST',
      404,
    );
    await writeFile(
      join(operationsDir, 'added.json'),
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: operationId(added), body: added, name: 'Added', type: 'query' }],
      }),
    );
    expect((await post({ documentId: operationId(added) }, headers)).body.data).toEqual({
      me: { kind: 'INTEGRATION', integrationId },
    });
  });

  it('keeps the last good global list when a changed manifest lies', async () => {
    await writeFile(join(operationsDir, 'global.json'), JSON.stringify({ [operationId(ME)]: GLOBAL_ME }));
    const headers = await platform.asIntegration();
    expect((await post({ documentId: operationId(GLOBAL_ME) }, headers)).body.data).toEqual({
      me: { kind: 'INTEGRATION' },
    });
    expect(platform.logs.some((line) => line.includes('global trusted operations not reloaded'))).toBe(true);
  });
});

describe('trusted operations / per-operation limits', () => {
  // Depth 7: one past the default limit of 6.
  const deep =
    '{ me { organization { resources { organization { resources { organization { orgnr } } } } } } }';

  it('refuses a deep operation by default and runs it registered with a higher depth limit', async () => {
    await setMode('AUDIT');
    const headers = await platform.asIntegration();
    const free = await post({ query: deep }, headers);
    expect(free.body.errors?.[0]?.extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
    await register([{ sha256: operationId(deep), body: deep, limits: { maxDepth: 8 } }]);
    const trusted = await post({ documentId: operationId(deep) }, headers);
    expect(trusted.body.errors?.[0]?.extensions?.code).not.toBe('MAX_DEPTH_EXCEEDED');
    await setMode('SAFELIST');
  });

  it('cuts a registered limit to the ceiling (TRUSTED_OPERATION_MAX_DEPTH); persons in id-only mode', async () => {
    const deeper =
      '{ me { organization { resources { organization { resources { organization { resources { organization { orgnr } } } } } } } } }';
    // Persons are held to id-only here, so the administrator registers through a trusted operation, by id.
    const REGISTER =
      'mutation Register($id: ID!, $operations: [TrustedOperationInput!]!) { registerTrustedOperations(integrationId: $id, operations: $operations) { operationsVersion } }';
    const adminDir = join(operationsDir, 'admin');
    await mkdir(adminDir);
    await writeFile(join(adminDir, 'admin.json'), JSON.stringify({ [operationId(REGISTER)]: REGISTER }));
    const ceilingPlatform = await startTestPlatform(
      { OPERATIONS_DIR: adminDir, TRUSTED_OPERATION_MAX_DEPTH: '8', OPERATIONS_PERSON_MODE: 'id-only' },
      { integrationOperationsMode: 'safelist' },
    );
    try {
      const admin = {
        'content-type': 'application/json',
        authorization: `Bearer ${await personAccessToken(ceilingPlatform, DEMO_PERSONS.kari.pid)}`,
      };
      const registeredResponse = await fetch(`${ceilingPlatform.gatewayUrl}/graphql`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({
          documentId: operationId(REGISTER),
          variables: {
            id: integrationId,
            operations: [{ sha256: operationId(deeper), body: deeper, limits: { maxDepth: 50 } }],
          },
        }),
      });
      const registered = { body: (await registeredResponse.json()) as Body };
      expect(registered.body.errors).toBeUndefined();
      const response = await fetch(`${ceilingPlatform.gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await ceilingPlatform.asIntegration()) },
        body: JSON.stringify({ documentId: operationId(deeper) }),
      });
      const body = (await response.json()) as Body;
      expect(body.errors?.[0]?.extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
      // The same platform holds persons to OPERATIONS_PERSON_MODE=id-only: an administrator's free text is refused.
      const person = await ceilingPlatform.graphql('{ me { kind } }', {}, admin);
      expect(person.status).toBe(400);
      expect(person.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ID_REQUIRED');
    } finally {
      await ceilingPlatform.stop();
    }
  }, 120_000);
});
