// Fields a subgraph refuses (graphql-shield denials), as the audit log holds them: one FIELD_REFUSED event per
// request, for the verified caller, naming the refused fields, stored before the answer leaves — or no answer.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../access/principal.ts';
import { DEMO_INTEGRATIONS, DEMO_ORGS, DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import { personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { startAuditedGateway, storedEvents, type AuditedGateway } from './security-events-harness.ts';

const CASE_SYSTEM: Principal = {
  kind: 'integration',
  integrationId: DEMO_INTEGRATIONS.fjordvikCaseSystem.id,
  orgnr: DEMO_ORGS.vendor.orgnr,
};
const WHO_MAY = `whoMay(privilege: "READ", resourceId: "${DEMO_RESOURCES.fjordvikOppvekst}") { actorId }`;
/** Fjordvik's root: the case system holds no grant on it. */
const RESOURCE = `resource(id: "${DEMO_RESOURCES.fjordvikRoot}") { id }`;

interface Answer {
  data?: unknown;
  errors?: { extensions: { code: string; requestId?: string } }[];
}

describe('audit / security events / refused fields in a subgraph', () => {
  let platform: TestPlatform;
  let gateway: AuditedGateway;

  beforeAll(async () => {
    platform = await startTestPlatform();
    gateway = await startAuditedGateway(platform);
  });
  afterAll(async () => {
    await gateway?.stop();
    await platform?.stop();
  });

  /** Calls the organizations subgraph as the gateway would, with a caller token for `principal`. */
  async function callSubgraph(query: string, requestId: string): Promise<Answer> {
    const response = await fetch(platform.subgraphUrls.organizations, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${platform.signer.tokenFor(CASE_SYSTEM, 'organizations', requestId)}`,
      },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Answer;
  }

  const eventsOf = async (requestId: string) =>
    (await storedEvents(platform.db, 'FIELD_REFUSED')).filter((e) => e.request_id === requestId);

  it('records a field the subgraph refused behind the gateway, for the person, with the Type.field', async () => {
    // The gateway cannot decide Organization.typeGrants for a listed organisation (it needs the row): the subgraph does.
    const per = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.per.pid)}` };
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...per },
      body: JSON.stringify({ query: 'query MyOrganizations { organizations { orgnr typeGrants { id } } }' }),
    });
    const body = (await response.json()) as Answer;
    expect(body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const requestId = response.headers.get('x-request-id')!;
    expect(await eventsOf(requestId)).toEqual([
      {
        actor_type: 'PERSON',
        actor_id: DEMO_PERSONS.per.pid,
        on_behalf_of: null,
        orgnr: null,
        service: 'organizations',
        action: 'FIELD_REFUSED',
        data_subject: null,
        request_id: requestId,
        payload: { count: 1, fields: ['Organization.typeGrants'] },
      },
    ]);
    // Recorded where it was refused, once: the gateway does not count a subgraph's refusal again.
    await gateway.securityEvents.flush({ all: true });
    const atGateway = await storedEvents(platform.db, 'OPERATION_REFUSED');
    expect(atGateway.filter((e) => e.actor_id === DEMO_PERSONS.per.pid)).toEqual([]);
  });

  it('writes one event per request however many fields were refused, for the integration and its organisation', async () => {
    const requestId = randomUUID();
    // Nullable fields, so that each refusal is answered (a refused non-null field ends the operation early).
    const answer = await callSubgraph(`{ a: ${RESOURCE} b: ${RESOURCE} me { kind } }`, requestId);
    expect(answer.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(answer.data).toEqual({ a: null, b: null, me: { kind: 'INTEGRATION' } });
    expect(await eventsOf(requestId)).toEqual([
      expect.objectContaining({
        actor_type: 'INTEGRATION',
        actor_id: CASE_SYSTEM.integrationId,
        orgnr: DEMO_ORGS.vendor.orgnr,
        service: 'organizations',
        payload: { count: 2, fields: ['Query.resource'] },
      }),
    ]);
  });

  it('writes nothing for a request without a refusal', async () => {
    const requestId = randomUUID();
    const answer = await callSubgraph('{ me { kind } }', requestId);
    expect(answer.errors).toBeUndefined();
    expect(await eventsOf(requestId)).toEqual([]);
  });

  it('answers AUDIT_UNAVAILABLE and no data when the refusal cannot be recorded', async () => {
    const requestId = randomUUID();
    await platform.db.query('alter function audit.append_events(jsonb) rename to append_events_off');
    let answer: Answer;
    try {
      answer = await callSubgraph(`{ ${WHO_MAY} me { kind } }`, requestId);
    } finally {
      await platform.db.query('alter function audit.append_events_off(jsonb) rename to append_events');
    }
    expect(answer).toEqual({
      errors: [expect.objectContaining({ extensions: { code: 'AUDIT_UNAVAILABLE', requestId } })],
    });
    expect(await eventsOf(requestId)).toEqual([]);
  });
});
