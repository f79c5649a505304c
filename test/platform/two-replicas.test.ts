// Two gateway replicas on one database agree (issue #12 item 11): what one replica changes, the other honours —
// sessions on the very next request; an integration's password and trusted operations once the database's
// notification has reached it (gateway/auth/credential-freshness.ts), the bound docs/ARCHITECTURE.md states — and
// they share one rate-limit budget in Redis. Each replica is its own process (bin/gateway.ts), the subgraphs run apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { operationId } from '../../common/operation-id.ts';
import { browserLogin, integrationHeaders, personAccessToken } from '../support/identity.ts';
import { startReplicas, type Replica, type Replicas } from '../support/replicas.ts';

const ME = '{ me { kind acr integrationId } }';
const PERSON_BUDGET = 6;
/** Requests a replica is given to act on another's change before the test fails; each is a full round trip to it,
 * and the notification travels one hop, so a change not honoured after these is one that never will be. */
const ATTEMPTS = 50;

async function graphql(replica: Replica, query: string, headers: Record<string, string>, variables = {}) {
  const response = await fetch(`${replica.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] },
  };
}

type Answer = Awaited<ReturnType<typeof graphql>>;

/** Asks again, up to ATTEMPTS times, until the answer is the wanted one; the last answer otherwise. */
async function eventually(ask: () => Promise<Answer>, wanted: (answer: Answer) => boolean): Promise<Answer> {
  let answer = await ask();
  for (let attempt = 1; attempt < ATTEMPTS && !wanted(answer); attempt += 1) answer = await ask();
  return answer;
}

describe('two gateway replicas on one database', () => {
  let replicas: Replicas;
  beforeAll(async () => {
    // A person's budget small enough to spend in a test, a window no run outlasts.
    replicas = await startReplicas({
      RATE_LIMIT_PERSON_MAX: String(PERSON_BUDGET),
      RATE_LIMIT_WINDOW_SECONDS: '600',
    });
  }, 120_000);
  afterAll(() => replicas?.stop());

  it('honours a browser session made through A at B, and ends it on both when logged out through A', async () => {
    const { a, b, platform } = replicas;
    const { cookie } = await browserLogin(platform, DEMO_PERSONS.kari.pid);
    for (const replica of [a, b]) {
      const answer = await graphql(replica, ME, { cookie });
      expect(answer.status).toBe(200);
      expect(answer.body.data).toEqual({
        me: { kind: 'PERSON', acr: 'idporten-loa-substantial', integrationId: null },
      });
    }

    const logout = await fetch(`${a.url}/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: a.url, cookie },
      body: '{}',
    });
    expect(logout.status).toBe(200);
    for (const replica of [a, b]) expect((await graphql(replica, ME, { cookie })).status).toBe(401);
  });

  it('accepts at B, once notified, an operation registered through A (integrations are held to their safelist)', async () => {
    const { a, b, platform } = replicas;
    const integration = await integrationHeaders(platform);
    const refused = await graphql(b, ME, integration);
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toMatchObject([{ extensions: { code: 'QUERY_NOT_IN_SAFELIST' } }]);
    const admin = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.kari.pid)}` };
    const registered = await graphql(
      a,
      `
        mutation ($id: ID!, $operations: [TrustedOperationInput!]!) {
          registerTrustedOperations(integrationId: $id, operations: $operations) {
            operationsVersion
          }
        }
      `,
      admin,
      { id: platform.demoIntegration!.id, operations: [{ sha256: operationId(ME), body: ME }] },
    );
    expect(registered.body.errors).toBeUndefined();
    const accepted = await eventually(
      () => graphql(b, ME, integration),
      (answer) => answer.status === 200,
    );
    expect(accepted.body.data).toEqual({
      me: { kind: 'INTEGRATION', acr: null, integrationId: platform.demoIntegration!.id },
    });
  });

  it("stops an integration's old password at B, once notified, after it was rotated through A", async () => {
    const { a, b, platform } = replicas;
    // B caches credentials (it hears the notifications): the notification, not a read per call, is what stops it.
    await b.child.waitFor(/credential notifications heard: caching integration credentials/);
    const before = await integrationHeaders(platform);
    expect((await graphql(b, ME, before)).status).toBe(200);
    const admin = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.kari.pid)}` };
    const rotated = await graphql(
      a,
      'mutation($id: ID!) { rotateIntegrationPassword(id: $id) { password } }',
      admin,
      {
        id: platform.demoIntegration!.id,
      },
    );
    const password = (rotated.body.data?.rotateIntegrationPassword as { password: string }).password;
    expect(
      (
        await eventually(
          () => graphql(b, ME, before),
          (answer) => answer.status === 401,
        )
      ).status,
    ).toBe(401);
    const after = await integrationHeaders(platform, { password });
    expect((await graphql(b, ME, after)).body.data).toEqual({
      me: { kind: 'INTEGRATION', acr: null, integrationId: platform.demoIntegration!.id },
    });
  });

  it("shares a person's rate limit between the replicas (one budget in Redis)", async () => {
    const { a, b, platform } = replicas;
    const ola = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.ola.pid)}` };
    for (let i = 0; i < PERSON_BUDGET; i += 1)
      expect((await graphql(i % 2 ? b : a, ME, ola)).status).toBe(200);
    for (const replica of [a, b]) {
      const limited = await graphql(replica, ME, ola);
      expect(limited.status).toBe(429);
      expect(limited.body.errors).toMatchObject([{ extensions: { code: 'RATE_LIMITED' } }]);
    }
  });
});
