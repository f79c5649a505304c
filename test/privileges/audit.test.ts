// Every change to the privilege store is an audit event (FIKS-FACTS §5, §7): who did it, to whom, what, on which
// resource, when, in which request. The change and its event are stored in one transaction before the mutation
// answers; when the event cannot be stored, the change is not made and the mutation answers an error (fail closed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGS, DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { APPOINT, asPerson, dataOf, GRANT, REMOVE, REVOKE, TYPE_GRANT, type Headers } from './support.ts';

const FJ = DEMO_ORGS.fjordvik.orgnr;
const EVENTS = `query Events($orgnr: String!, $limit: Int!) {
  organization(orgnr: $orgnr) {
    auditEvents(limit: $limit) { action actorType actorId dataSubject service requestId occurredAt payload }
  }
}`;

interface Event {
  action: string;
  actorType: string;
  actorId: string;
  dataSubject: string | null;
  service: string;
  requestId: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

describe('privileges / audit', () => {
  let platform: TestPlatform;
  let kari: Headers;
  // Reading the log is itself recorded (PERSONAL_DATA_READ, AUDIT_READ; tested in test/audit/ and below): these
  // tests look at changes.
  const events = async (limit: number) =>
    dataOf<{ organization: { auditEvents: Event[] } }>(
      await platform.graphql(EVENTS, { orgnr: FJ, limit: 500 }, kari),
    )
      .organization.auditEvents.filter((e) => e.action !== 'PERSONAL_DATA_READ' && e.action !== 'AUDIT_READ')
      .slice(0, limit);
  const grantCount = async () =>
    (
      await platform.db.query<{ n: number }>('select count(*)::int as n from organizations.privilege_grant')
    )[0]!.n;

  beforeAll(async () => {
    platform = await startTestPlatform();
    kari = await asPerson(platform, DEMO_PERSONS.kari.pid);
  });
  afterAll(() => platform.stop());

  it('records who granted what to whom on which resource, and when, before the grant answers', async () => {
    const granted = await platform.graphql(
      GRANT,
      {
        resourceId: DEMO_RESOURCES.fjordvikOppvekst,
        actorType: 'PERSON',
        actorId: DEMO_PERSONS.ola.pid,
        privilege: 'SKOLE.LES',
      },
      kari,
    );
    const grant = dataOf<{ grantPrivilege: { id: string; createdAt: string } }>(granted).grantPrivilege;
    const [event] = await events(1);
    expect(event).toEqual({
      action: 'GRANT_CREATED',
      actorType: 'PERSON',
      actorId: DEMO_PERSONS.kari.pid,
      dataSubject: DEMO_PERSONS.ola.pid,
      service: 'organizations',
      requestId: granted.headers.get('x-request-id'),
      // The grant and its event are stored in one transaction: they carry the same time.
      occurredAt: grant.createdAt,
      payload: {
        grantId: grant.id,
        privilege: 'SKOLE.LES',
        resourceId: DEMO_RESOURCES.fjordvikOppvekst,
        actor: { type: 'PERSON', id: DEMO_PERSONS.ola.pid },
      },
    });

    const revoked = await platform.graphql(REVOKE, { grantId: grant.id }, kari);
    dataOf(revoked);
    const [revocation] = await events(1);
    expect(revocation).toMatchObject({
      action: 'GRANT_REVOKED',
      actorId: DEMO_PERSONS.kari.pid,
      dataSubject: DEMO_PERSONS.ola.pid,
      requestId: revoked.headers.get('x-request-id'),
      payload: { grantId: grant.id, privilege: 'SKOLE.LES', resourceId: DEMO_RESOURCES.fjordvikOppvekst },
    });
  });

  it('records appointing and removing administrators, creating resources and type grants', async () => {
    const appointment = { resourceId: DEMO_RESOURCES.fjordvikSvarUt, pid: DEMO_PERSONS.liv.pid };
    dataOf(await platform.graphql(APPOINT, appointment, kari));
    dataOf(await platform.graphql(REMOVE, appointment, kari));
    dataOf(
      await platform.graphql(
        `mutation { createResource(parentId: "${DEMO_RESOURCES.fjordvikRoot}", type: "AVDELING", name: "Helse") { id } }`,
        {},
        kari,
      ),
    );
    dataOf(
      await platform.graphql(
        TYPE_GRANT,
        {
          orgnr: FJ,
          resourceType: 'AVDELING',
          actorType: 'PERSON',
          actorId: DEMO_PERSONS.per.pid,
          privilege: 'AVDELING.LES',
        },
        kari,
      ),
    );
    const recorded = await events(4);
    expect(recorded.map((e) => [e.action, e.dataSubject])).toEqual([
      ['TYPE_GRANT_CREATED', DEMO_PERSONS.per.pid],
      ['RESOURCE_CREATED', null],
      ['ADMINISTRATOR_REMOVED', DEMO_PERSONS.liv.pid],
      ['ADMINISTRATOR_APPOINTED', DEMO_PERSONS.liv.pid],
    ]);
    expect(recorded[0]!.payload).toMatchObject({ resourceType: 'AVDELING', privilege: 'AVDELING.LES' });
    expect(recorded[1]!.payload).toMatchObject({
      type: 'AVDELING',
      name: 'Helse',
      parentId: DEMO_RESOURCES.fjordvikRoot,
    });
    expect(recorded[3]!.payload).toMatchObject({
      privilege: 'ADMIN',
      resourceId: DEMO_RESOURCES.fjordvikSvarUt,
    });
  });

  it("records an organisation's creation and its first administrator under the new organisation", async () => {
    const operator = await asPerson(platform, DEMO_PERSONS.operator.pid);
    const created = await platform.graphql(
      `mutation { createOrganization(orgnr: "955000013", name: "Revisjon kommune", administratorPid: "${DEMO_PERSONS.liv.pid}") { orgnr } }`,
      {},
      operator,
    );
    dataOf(created);
    const rows = await platform.db.query<{ action: string; actor_id: string; data_subject: string | null }>(
      `select action, actor_id, data_subject from audit.event where orgnr = '955000013' order by seq`,
    );
    expect(rows).toEqual([
      { action: 'ORGANIZATION_CREATED', actor_id: DEMO_PERSONS.operator.pid, data_subject: null },
      {
        action: 'ADMINISTRATOR_APPOINTED',
        actor_id: DEMO_PERSONS.operator.pid,
        data_subject: DEMO_PERSONS.liv.pid,
      },
    ]);
  });

  it('records nothing when a grant changes nothing, and answers the grant that exists', async () => {
    const [existing] = await platform.db.query<{ id: string }>(
      'select id from organizations.privilege_grant where actor_id = $1 and resource_id = $2',
      [DEMO_PERSONS.per.pid, DEMO_RESOURCES.fjordvikOppvekst],
    );
    const eventCount = (await events(500)).length;
    const again = await platform.graphql(
      GRANT,
      {
        resourceId: DEMO_RESOURCES.fjordvikOppvekst,
        actorType: 'PERSON',
        actorId: DEMO_PERSONS.per.pid,
        privilege: 'SVARUT.SEND',
      },
      kari,
    );
    expect(dataOf(again)).toMatchObject({ grantPrivilege: { id: existing!.id } });
    expect((await events(500)).length).toBe(eventCount);
  });

  it('makes no grant, and answers an error without data, when the audit event cannot be stored', async () => {
    const grants = await grantCount();
    const eventCount = (await events(500)).length;
    await platform.db.query('alter function audit.append_event rename to append_event_unavailable');
    try {
      const granted = await platform.graphql(
        GRANT,
        {
          resourceId: DEMO_RESOURCES.fjordvikOppvekst,
          actorType: 'PERSON',
          actorId: DEMO_PERSONS.ola.pid,
          privilege: 'SKOLE.SKRIV',
        },
        kari,
      );
      expect(granted.body.data).toBeNull();
      expect(granted.body.errors?.map((e) => e.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);
      const operator = await asPerson(platform, DEMO_PERSONS.operator.pid);
      const created = await platform.graphql(
        `mutation { createOrganization(orgnr: "955000021", name: "Uten logg", administratorPid: "${DEMO_PERSONS.liv.pid}") { orgnr } }`,
        {},
        operator,
      );
      expect(created.body.data).toBeNull();
      expect(created.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await platform.db.query('alter function audit.append_event_unavailable rename to append_event');
    }
    expect(await grantCount()).toBe(grants);
    expect(
      await platform.db.query(`select 1 from organizations.organization where orgnr = '955000021'`),
    ).toEqual([]);
    expect((await events(500)).length).toBe(eventCount);
  });

  it('records a read of the list itself as AUDIT_READ, before the list is answered', async () => {
    const response = await platform.graphql(EVENTS, { orgnr: FJ, limit: 5 }, kari);
    const listed = dataOf<{ organization: { auditEvents: Event[] } }>(response).organization.auditEvents;
    const [read] = await platform.db.query<{
      action: string;
      actor_id: string;
      payload: Record<string, unknown>;
    }>(`select action, actor_id, payload from audit.event where request_id = $1 and action = 'AUDIT_READ'`, [
      response.headers.get('x-request-id'),
    ]);
    expect(read).toEqual({
      action: 'AUDIT_READ',
      actor_id: DEMO_PERSONS.kari.pid,
      payload: { query: 'Organization.auditEvents', limit: 5, returned: listed.length },
    });
  });
});
