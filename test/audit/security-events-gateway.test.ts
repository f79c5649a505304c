// Failed authentications and refused operations at the gateway, through the whole platform, as the audit log holds
// them: counted per source (or actor) and window, the right actor and reasons, and no secret anywhere.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DOCUMENTS, DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import { integrationHeaders, maskinportenToken, personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import {
  everyEventAsText,
  startAuditedGateway,
  storedEvents,
  type AuditedGateway,
  type StoredEvent,
} from './security-events-harness.ts';

const WRONG_PASSWORD = 'wrong-password-for-the-audit-test-4711';
const SOURCE = '127.0.0.1';

describe('audit / security events / gateway', () => {
  let platform: TestPlatform;
  let gateway: AuditedGateway;
  let token: string;
  let perToken: string;
  let olaToken: string;
  /** Every secret a caller sent in this file: none may appear in any stored event. */
  const secrets: string[] = [WRONG_PASSWORD];

  beforeAll(async () => {
    platform = await startTestPlatform();
    gateway = await startAuditedGateway(platform);
    token = await maskinportenToken(platform);
    perToken = await personAccessToken(platform, DEMO_PERSONS.per.pid);
    olaToken = await personAccessToken(platform, DEMO_PERSONS.ola.pid);
    secrets.push(token, perToken, olaToken, platform.demoIntegration!.password);
  });
  afterAll(async () => {
    await gateway?.stop();
    await platform?.stop();
  });

  /** Writes everything counted so far, then reads one action's events. */
  async function flushed(action: string): Promise<StoredEvent[]> {
    await gateway.securityEvents.flush({ all: true });
    return storedEvents(platform.db, action);
  }

  it('writes 1,000 wrong passwords from one source for one integration as one event with count 1000', async () => {
    const demoId = platform.demoIntegration!.id;
    const headers = await integrationHeaders(platform, { token, password: WRONG_PASSWORD });
    for (let i = 0; i < 1000; i++) {
      const answer = await gateway.graphql('{ me { kind } }', headers);
      expect(answer.status).toBe(401);
    }
    const events = (await flushed('INTEGRATION_AUTHENTICATION_FAILED')).filter(
      (e) => e.payload.integrationId === demoId,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor_type: 'ANONYMOUS',
      actor_id: '-',
      orgnr: null,
      service: 'gateway',
      data_subject: null,
      payload: {
        source: SOURCE,
        integrationId: demoId,
        count: 1000,
        // After a few wrong passwords the pair backs off: refused without the slow hash, and still counted.
        reasons: ['backing_off', 'wrong_password'],
        windowSeconds: 60,
      },
    });
  });

  it('names the claimed integration only when it is a well-formed id, and says why each failed', async () => {
    const unknown = randomUUID();
    const badToken = randomUUID();
    const noPassword = randomUUID();
    await gateway.graphql('{ me { kind } }', await integrationHeaders(platform, { token, id: unknown }));
    await gateway.graphql('{ me { kind } }', {
      ...(await integrationHeaders(platform, { token })),
      IntegrasjonId: 'not-a-uuid',
    });
    await gateway.graphql(
      '{ me { kind } }',
      await integrationHeaders(platform, { id: badToken, token: 'a.b.c' }),
    );
    await gateway.graphql('{ me { kind } }', { authorization: `Bearer ${token}`, IntegrasjonId: noPassword });
    const byId = new Map(
      (await flushed('INTEGRATION_AUTHENTICATION_FAILED')).map((e) => [e.payload.integrationId, e.payload]),
    );
    expect(byId.get(unknown)).toMatchObject({ source: SOURCE, count: 1, reasons: ['unknown_integration'] });
    expect(byId.get(null)).toMatchObject({ source: SOURCE, count: 1, reasons: ['unknown_integration'] });
    expect(byId.get(badToken)).toMatchObject({ count: 1, reasons: ['invalid_token'] });
    expect(byId.get(noPassword)).toMatchObject({ count: 1, reasons: ['missing_credentials'] });
    expect(JSON.stringify([...byId.values()])).not.toContain('not-a-uuid');
  });

  it('counts unauthenticated requests per source as OPERATION_REFUSED UNAUTHENTICATED, by an anonymous actor', async () => {
    expect((await gateway.graphql('{ me { kind } }')).status).toBe(401);
    expect((await gateway.graphql('{ me { kind } }', { authorization: 'Bearer not.a.jwt' })).status).toBe(
      401,
    );
    const events = (await flushed('OPERATION_REFUSED')).filter((e) => e.payload.code === 'UNAUTHENTICATED');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor_type: 'ANONYMOUS',
      actor_id: '-',
      orgnr: null,
      payload: {
        code: 'UNAUTHENTICATED',
        source: SOURCE,
        count: 2,
        reasons: ['invalid_token', 'no_credential'],
      },
    });
  });

  it("records the gateway's refusals for the person refused: the code, the operation and the field", async () => {
    const per = { authorization: `Bearer ${perToken}` };
    const forbidden = `query WhoMayRead { who: whoMay(privilege: "READ", resourceId: "${DEMO_RESOURCES.fjordvikOppvekst}") { actorId } }`;
    for (let i = 0; i < 3; i++) {
      expect((await gateway.graphql(forbidden, per)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const tooMany = `query Wide { ${Array.from({ length: 11 }, (_, i) => `m${i}: me { kind }`).join(' ')} }`;
    expect((await gateway.graphql(tooMany, per)).body.errors?.[0]?.extensions?.code).toBe(
      'MAX_ROOT_FIELDS_EXCEEDED',
    );

    const events = (await flushed('OPERATION_REFUSED')).filter((e) => e.actor_id === DEMO_PERSONS.per.pid);
    expect(events.map((e) => [e.actor_type, e.orgnr, e.payload.code, e.payload.count])).toEqual(
      expect.arrayContaining([
        ['PERSON', null, 'FORBIDDEN', 3],
        ['PERSON', null, 'MAX_ROOT_FIELDS_EXCEEDED', 1],
      ]),
    );
    const refused = events.find((e) => e.payload.code === 'FORBIDDEN')!;
    // The alias the caller chose is not what refused: the field is.
    expect(refused.payload).toMatchObject({ operations: ['WhoMayRead'], fields: ['Query.whoMay'] });
    expect(refused.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(events.find((e) => e.payload.code === 'MAX_ROOT_FIELDS_EXCEEDED')!.payload).toMatchObject({
      operations: ['Wide'],
    });
  });

  it('records the step-up refusal: data that needs a stronger login than the caller has', async () => {
    const answer = await gateway.graphql(
      `query Letter { document(id: "${DEMO_DOCUMENTS.socialAssistance}") { id } }`,
      { authorization: `Bearer ${olaToken}` },
    );
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('INSUFFICIENT_AUTHENTICATION_LEVEL');
    const events = (await flushed('OPERATION_REFUSED')).filter((e) => e.actor_id === DEMO_PERSONS.ola.pid);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      code: 'INSUFFICIENT_AUTHENTICATION_LEVEL',
      count: 1,
      operations: ['Letter'],
      fields: ['Query.document'],
    });
  });

  it('stores no password, token or secret in any event', async () => {
    await gateway.securityEvents.flush({ all: true });
    const text = await everyEventAsText(platform.db);
    expect(text).toContain('INTEGRATION_AUTHENTICATION_FAILED'); // the search is over the events written above
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
