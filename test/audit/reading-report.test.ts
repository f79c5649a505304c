// The snooping report (issue #10 item 11): actors ranked by how many distinct persons' data they read in the
// organisation in a period, those above AUDIT_SNOOPING_THRESHOLD flagged — for the organisation's administrators
// and AUDIT.READ holders only, and running it is itself an audit event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INTEGRATIONS, DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { asPerson, dataOf, type Headers } from '../privileges/support.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { auditReader, eventsOf, freshPid, insertEvents, type SeedEvent } from './reading-support.ts';

const FJ = DEMO_ORGS.fjordvik.orgnr;
const HEIBERG = DEMO_ORGS.heiberg.orgnr;
const { kari, per, siri, hans } = DEMO_PERSONS;
const CASE_SYSTEM = DEMO_INTEGRATIONS.fjordvikCaseSystem.id;
const THRESHOLD = 3;

const REPORT = `query Report($orgnr: String!, $from: DateTime!, $to: DateTime!, $limit: Int) {
  snoopingReport(orgnr: $orgnr, from: $from, to: $to, limit: $limit) {
    from to threshold actors { actorType actorId distinctPersons reads flagged }
  }
}`;
const PERIOD = { from: '2021-06-01T00:00:00Z', to: '2021-07-01T00:00:00Z' };

describe('audit / the snooping report', () => {
  let platform: TestPlatform;
  let admin: Headers;
  let reader: { pid: string; headers: Headers };
  const persons = Array.from({ length: 6 }, () => freshPid());

  const read = (
    actorType: SeedEvent['actorType'],
    actorId: string,
    dataSubject: string,
    extra: Partial<SeedEvent> = {},
  ): SeedEvent => ({
    at: '2021-06-15T12:00:00Z',
    actorType,
    actorId,
    orgnr: FJ,
    service: 'documents',
    action: 'PERSONAL_DATA_READ',
    dataSubject,
    ...extra,
  });

  beforeAll(async () => {
    platform = await startTestPlatform({ AUDIT_SNOOPING_THRESHOLD: String(THRESHOLD) });
    admin = await asPerson(platform, kari.pid);
    reader = await auditReader(platform, admin);
    await insertEvents(platform, [
      // Per reads five persons, two of them twice: 5 distinct, 7 reads — above the threshold.
      ...persons.slice(0, 5).map((p) => read('PERSON', per.pid, p)),
      read('PERSON', per.pid, persons[0]!),
      read('PERSON', per.pid, persons[1]!, { action: 'DOCUMENT_READ' }),
      // The case system reads four: above.
      ...persons.slice(0, 4).map((p) => read('INTEGRATION', CASE_SYSTEM, p)),
      // Siri reads three: at the threshold, not above it.
      ...persons.slice(0, 3).map((p) => read('PERSON', siri.pid, p)),
      // Not reads of a person's data: Kari grants to five persons, and reads one event about nobody.
      ...persons.slice(0, 5).map((p) => read('PERSON', kari.pid, p, { action: 'GRANT_CREATED' })),
      read('PERSON', kari.pid, persons[0]!, { dataSubject: null }),
      // Ola reads his own data: not snooping.
      read('PERSON', DEMO_PERSONS.ola.pid, DEMO_PERSONS.ola.pid),
      // Outside the period, and in another organisation: Per's sixth person, in neither count.
      read('PERSON', per.pid, persons[5]!, { at: '2021-07-01T00:00:00Z' }),
      read('PERSON', per.pid, persons[5]!, { orgnr: HEIBERG }),
      read('PERSON', hans.pid, persons[5]!, { orgnr: HEIBERG }),
    ]);
  });
  afterAll(() => platform.stop());

  const report = async (headers: Headers, variables: Record<string, unknown> = {}) =>
    platform.graphql(REPORT, { orgnr: FJ, ...PERIOD, ...variables }, headers);

  it('ranks actors by distinct persons read in the period, and flags those above the threshold', async () => {
    const { snoopingReport } = dataOf<{ snoopingReport: Record<string, unknown> }>(await report(admin));
    expect(snoopingReport).toEqual({
      from: '2021-06-01T00:00:00.000Z',
      to: '2021-07-01T00:00:00.000Z',
      threshold: THRESHOLD,
      actors: [
        { actorType: 'PERSON', actorId: per.pid, distinctPersons: 5, reads: 7, flagged: true },
        { actorType: 'INTEGRATION', actorId: CASE_SYSTEM, distinctPersons: 4, reads: 4, flagged: true },
        { actorType: 'PERSON', actorId: siri.pid, distinctPersons: 3, reads: 3, flagged: false },
      ],
    });
  });

  it('answers at most `limit` actors, the most persons first', async () => {
    const { snoopingReport } = dataOf<{ snoopingReport: { actors: { actorId: string }[] } }>(
      await report(admin, { limit: 1 }),
    );
    expect(snoopingReport.actors.map((a) => a.actorId)).toEqual([per.pid]);
    expect((await report(admin, { limit: 501 })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('shows an AUDIT.READ holder the same report, and records that it was run', async () => {
    const asAdmin = dataOf(await report(admin));
    const response = await report(reader.headers);
    expect(dataOf(response)).toEqual(asAdmin);
    const [event] = await eventsOf(platform, 'AUDIT_READ', reader.pid);
    expect(event).toEqual({
      orgnr: FJ,
      data_subject: null,
      request_id: response.headers.get('x-request-id'),
      payload: {
        query: 'snoopingReport',
        from: '2021-06-01T00:00:00.000Z',
        to: '2021-07-01T00:00:00.000Z',
        threshold: THRESHOLD,
        limit: 50,
        returned: 3,
      },
    });
  });

  it("refuses everyone else, and shows nobody another organisation's readers", async () => {
    for (const headers of [
      await asPerson(platform, per.pid),
      await asPerson(platform, hans.pid),
      await platform.asIntegration(),
    ]) {
      const response = await report(headers);
      expect(response.body.data ?? null).toBeNull();
      expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await report(reader.headers, { orgnr: HEIBERG })).body.errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
  });

  it('refuses a period that ends before it starts', async () => {
    const response = await report(admin, { from: PERIOD.to, to: PERIOD.from });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
