// A person's own access log (issue #10 item 10): the events about them by anyone else — which organisation, what
// kind of actor, when, what, on which legal basis — and never anybody else's; an integration acting for the person
// sees the same for that person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DOCUMENTS, DEMO_INTEGRATIONS, DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { asPerson, dataOf, type Headers } from '../privileges/support.ts';
import { integrationHeaders, personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { freshPid, insertEvents, type SeedEvent } from './reading-support.ts';

const FJ = DEMO_ORGS.fjordvik;
const HEIBERG = DEMO_ORGS.heiberg;
const { kari, ola, hans } = DEMO_PERSONS;
const CASE_SYSTEM = DEMO_INTEGRATIONS.fjordvikCaseSystem.id;

const MY_LOG = `query MyLog($first: Int, $after: String) {
  myAccessLog(first: $first, after: $after) {
    entries {
      eventId occurredAt organization { orgnr name } actorType actorName integrationId service action
      resourceType resourceId fields legalBasis
    }
    nextCursor
  }
}`;

interface Entry {
  eventId: string;
  organization: { orgnr: string; name: string } | null;
  actorType: string;
  actorName: string | null;
  integrationId: string | null;
  action: string;
  resourceType: string | null;
  fields: string[];
  legalBasis: string | null;
}
type Log = { entries: Entry[]; nextCursor: string | null };

describe('audit / my access log', () => {
  let platform: TestPlatform;
  let asOla: Headers;
  let ids: string[];

  const myLog = async (headers: Headers, variables: Record<string, unknown> = {}) =>
    dataOf<{ myAccessLog: Log }>(await platform.graphql(MY_LOG, variables, headers)).myAccessLog;

  beforeAll(async () => {
    platform = await startTestPlatform();
    asOla = await asPerson(platform, ola.pid);
    const read = (at: string, extra: Partial<SeedEvent>): SeedEvent => ({
      at,
      actorType: 'PERSON',
      actorId: kari.pid,
      orgnr: FJ.orgnr,
      service: 'documents',
      action: 'PERSONAL_DATA_READ',
      dataSubject: ola.pid,
      ...extra,
    });
    ids = await insertEvents(platform, [
      // 0: Fjordvik's administrator reads Ola's document's title, on a legal basis.
      read('2022-01-01T09:00:00Z', {
        legalBasis: 'forvaltningsloven § 13 b',
        payload: {
          resourceType: 'Document',
          resourceId: DEMO_DOCUMENTS.kindergartenDecision,
          fields: ['title'],
        },
      }),
      // 1: the case system, for Fjordvik's account.
      read('2022-01-02T09:00:00Z', {
        actorType: 'INTEGRATION',
        actorId: CASE_SYSTEM,
        legalBasis: 'barnehageloven § 16',
      }),
      // 2: Heiberg's administrator grants Ola something.
      read('2022-01-03T09:00:00Z', {
        actorId: hans.pid,
        orgnr: HEIBERG.orgnr,
        service: 'organizations',
        action: 'GRANT_CREATED',
        payload: { privilege: 'SKOLE.LES' },
      }),
      // 3: Ola himself: not in his log. 4: someone else's data: not in his log.
      read('2022-01-04T09:00:00Z', { actorId: ola.pid }),
      read('2022-01-05T09:00:00Z', { dataSubject: freshPid() }),
    ]);
  });
  afterAll(() => platform.stop());

  it("shows the person who accessed their data, where, what and why, newest first, and nobody else's", async () => {
    const log = await myLog(asOla);
    expect(log.nextCursor).toBeNull();
    expect(log.entries.map((e) => e.eventId)).toEqual([ids[2], ids[1], ids[0]]);
    expect(log.entries[2]).toEqual({
      eventId: ids[0],
      occurredAt: '2022-01-01T09:00:00.000Z',
      organization: { orgnr: FJ.orgnr, name: FJ.name },
      actorType: 'PERSON',
      actorName: null,
      integrationId: null,
      service: 'documents',
      action: 'PERSONAL_DATA_READ',
      resourceType: 'Document',
      resourceId: DEMO_DOCUMENTS.kindergartenDecision,
      fields: ['title'],
      legalBasis: 'forvaltningsloven § 13 b',
    });
    expect(log.entries[1]).toMatchObject({
      actorType: 'INTEGRATION',
      integrationId: CASE_SYSTEM,
      fields: [],
    });
    expect(log.entries[0]).toMatchObject({
      organization: { orgnr: HEIBERG.orgnr, name: HEIBERG.name },
      action: 'GRANT_CREATED',
      resourceType: null,
    });
    // The person who looked is named by kind, never by fødselsnummer.
    expect(JSON.stringify(log)).not.toContain(kari.pid);
    expect(JSON.stringify(log)).not.toContain(hans.pid);
  });

  it('pages newest first', async () => {
    const first = await myLog(asOla, { first: 2 });
    expect(first.entries.map((e) => e.eventId)).toEqual([ids[2], ids[1]]);
    const second = await myLog(asOla, { first: 2, after: first.nextCursor });
    expect(second.entries.map((e) => e.eventId)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
  });

  it('shows an integration acting for the person the same, and shows the person that it looked', async () => {
    const token = await personAccessToken(platform, ola.pid);
    const response = await platform.graphql(MY_LOG, {}, await integrationHeaders(platform, { token }));
    const forOla = dataOf<{ myAccessLog: Log }>(response).myAccessLog;
    expect(forOla.entries.map((e) => e.eventId)).toEqual([ids[2], ids[1], ids[0]]);
    const after = await myLog(asOla);
    expect(after.entries[0]).toMatchObject({
      actorType: 'INTEGRATION',
      integrationId: platform.demoIntegration!.id,
      action: 'AUDIT_READ',
      organization: { orgnr: DEMO_ORGS.vendor.orgnr },
    });
    expect(after.entries.slice(1).map((e) => e.eventId)).toEqual([ids[2], ids[1], ids[0]]);
  });

  it('gives each person only their own log, and an integration on its own none', async () => {
    const kariLog = await myLog(await asPerson(platform, kari.pid));
    expect(kariLog.entries.some((e) => ids.includes(e.eventId))).toBe(false);
    const alone = await platform.graphql(MY_LOG, {}, await platform.asIntegration());
    expect(alone.body.data ?? null).toBeNull();
    expect(alone.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
