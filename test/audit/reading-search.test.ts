// Searching an organisation's audit log (issue #10 item 9): by time range, actor, data subject, service and action,
// newest first, a page at a time; for its administrators and AUDIT.READ holders only, never another organisation's
// events; and each search is itself an audit event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../access/principal.ts';
import { DEMO_INTEGRATIONS, DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { AuditStore } from '../../subgraphs/audit/store.ts';
import { callerScoped } from '../../subgraphs/runtime/caller-scope.ts';
import { asPerson, dataOf, type Headers } from '../privileges/support.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { auditReader, eventsOf, freshPid, insertEvents, type SeedEvent } from './reading-support.ts';

const FJ: string = DEMO_ORGS.fjordvik.orgnr;
const HEIBERG = DEMO_ORGS.heiberg.orgnr;
const { kari, per, hans, ola } = DEMO_PERSONS;
const CASE_SYSTEM = DEMO_INTEGRATIONS.fjordvikCaseSystem.id;

const SEARCH = `query Search($orgnr: String!, $filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(orgnr: $orgnr, filter: $filter, first: $first, after: $after) {
    events { id action actorId dataSubject service occurredAt organization { orgnr } }
    nextCursor
  }
}`;

interface Page {
  events: { id: string; action: string; actorId: string; dataSubject: string | null; service: string }[];
  nextCursor: string | null;
}

/** 2020-03-01T10:00Z plus `minutes`. */
const at = (minutes: number) => new Date(Date.UTC(2020, 2, 1, 10, minutes)).toISOString();
const RANGE = { from: '2020-03-01T00:00:00Z', to: '2020-03-02T00:00:00Z' };

describe('audit / searching the log', () => {
  let platform: TestPlatform;
  let admin: Headers;
  let reader: { pid: string; headers: Headers };
  const subjects = [freshPid(), freshPid(), freshPid()];
  /** Fjordvik's events in RANGE, in the order they were appended. */
  let fjordvik: { id: string; event: SeedEvent }[];

  const search = async (headers: Headers, variables: Record<string, unknown>) =>
    platform.graphql(SEARCH, { orgnr: FJ, ...variables }, headers);
  const page = async (headers: Headers, variables: Record<string, unknown>) =>
    dataOf<{ auditLog: Page }>(await search(headers, variables)).auditLog;

  beforeAll(async () => {
    platform = await startTestPlatform();
    admin = await asPerson(platform, kari.pid);
    reader = await auditReader(platform, admin);
    const events: SeedEvent[] = [];
    for (let i = 0; i < 12; i++) {
      events.push({
        // Two events share each minute, so pages must break ties by seq.
        at: at(Math.floor(i / 2)),
        actorType: i % 3 === 0 ? 'INTEGRATION' : 'PERSON',
        actorId: i % 3 === 0 ? CASE_SYSTEM : i % 3 === 1 ? kari.pid : per.pid,
        orgnr: FJ,
        service: i % 2 === 0 ? 'documents' : 'organizations',
        action: i % 4 === 0 ? 'GRANT_CREATED' : 'PERSONAL_DATA_READ',
        dataSubject: subjects[i % 3]!,
      });
    }
    const ids = await insertEvents(platform, events);
    fjordvik = ids.map((id, i) => ({ id, event: events[i]! }));
    // Heiberg's events at the very same times, by the same actors, about the same persons.
    await insertEvents(
      platform,
      events.map((e) => ({ ...e, orgnr: HEIBERG })),
    );
    // Outside the range.
    await insertEvents(platform, [{ ...events[0]!, at: '2020-02-28T10:00:00Z' }]);
  });
  afterAll(() => platform.stop());

  /** Newest first: by time, then by the order of appending. */
  const newestFirst = (rows: { id: string; event: SeedEvent }[]) =>
    rows
      .map((r, i) => ({ ...r, i }))
      .sort((a, b) => b.event.at.localeCompare(a.event.at) || b.i - a.i)
      .map((r) => r.id);

  it('pages through the range newest first, without gaps or repeats, and never past another organisation', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const result: Page = await page(admin, { filter: RANGE, first: 5, after });
      expect(result.events.length).toBeLessThanOrEqual(5);
      seen.push(...result.events.map((e) => e.id));
      after = result.nextCursor;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(newestFirst(fjordvik));
  });

  it('finds by actor, data subject, service and action, each exactly', async () => {
    const ids = async (filter: Record<string, unknown>) =>
      (await page(admin, { filter: { ...RANGE, ...filter }, first: 50 })).events.map((e) => e.id).sort();
    const expected = (match: (e: SeedEvent) => boolean) =>
      fjordvik
        .filter((r) => match(r.event))
        .map((r) => r.id)
        .sort();
    expect(await ids({ actorType: 'PERSON', actorId: per.pid })).toEqual(
      expected((e) => e.actorId === per.pid),
    );
    expect(await ids({ actorType: 'INTEGRATION' })).toEqual(expected((e) => e.actorType === 'INTEGRATION'));
    expect(await ids({ subjectPid: subjects[1] })).toEqual(expected((e) => e.dataSubject === subjects[1]));
    expect(await ids({ service: 'documents', action: 'GRANT_CREATED' })).toEqual(
      expected((e) => e.service === 'documents' && e.action === 'GRANT_CREATED'),
    );
    expect(await ids({ from: at(2), to: at(4) })).toEqual(expected((e) => e.at >= at(2) && e.at < at(4)));
  });

  it('shows an AUDIT.READ holder what it shows the administrator', async () => {
    const asAdmin = await page(admin, { filter: RANGE, first: 50 });
    expect((await page(reader.headers, { filter: RANGE, first: 50 })).events).toEqual(asAdmin.events);
    expect(asAdmin.events).toHaveLength(12);
  });

  it('refuses everyone else, and each reader for another organisation', async () => {
    const refusal = async (headers: Headers, orgnr = FJ) => {
      const response = await search(headers, { orgnr, filter: RANGE });
      expect(response.body.data ?? null).toBeNull();
      return response.body.errors?.[0]?.extensions?.code;
    };
    expect(await refusal(await asPerson(platform, per.pid))).toBe('FORBIDDEN');
    expect(await refusal(await asPerson(platform, ola.pid))).toBe('FORBIDDEN');
    expect(await refusal(await platform.asIntegration())).toBe('FORBIDDEN');
    expect(await refusal(await asPerson(platform, hans.pid))).toBe('FORBIDDEN');
    expect(await refusal(reader.headers, HEIBERG)).toBe('FORBIDDEN');
    expect(await refusal(admin, HEIBERG)).toBe('FORBIDDEN');
  });

  it('records each search as AUDIT_READ with its filter, about the person searched for, before answering', async () => {
    const response = await search(reader.headers, {
      filter: { ...RANGE, subjectPid: subjects[2] },
      first: 3,
    });
    const result = dataOf<{ auditLog: Page }>(response).auditLog;
    const [event] = await eventsOf(platform, 'AUDIT_READ', reader.pid);
    expect(event).toEqual({
      orgnr: FJ,
      data_subject: subjects[2],
      request_id: response.headers.get('x-request-id'),
      payload: {
        query: 'auditLog',
        filter: {
          orgnr: FJ,
          from: '2020-03-01T00:00:00.000Z',
          to: '2020-03-02T00:00:00.000Z',
          dataSubject: subjects[2],
        },
        first: 3,
        page: 'first',
        returned: result.events.length,
      },
    });
    // The search does not find itself: the page was read before its event was written.
    expect(result.events.every((e) => e.action !== 'AUDIT_READ')).toBe(true);
  });

  it('answers no page, only AUDIT_UNAVAILABLE with the request id, when its event cannot be stored', async () => {
    await platform.db.query('alter function audit.append_event rename to append_event_unavailable');
    try {
      const response = await search(admin, { filter: RANGE });
      expect(response.body.data ?? null).toBeNull();
      expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(['AUDIT_UNAVAILABLE']);
      expect(response.body.errors?.[0]?.extensions?.requestId).toBe(response.headers.get('x-request-id'));
      expect(JSON.stringify(response.body)).not.toContain(subjects[0]);
    } finally {
      await platform.db.query('alter function audit.append_event_unavailable rename to append_event');
    }
  });

  it('answers BAD_USER_INPUT for a page size out of bounds, a cursor it did not make, or a time that is none', async () => {
    const code = async (variables: Record<string, unknown>) =>
      (await search(admin, variables)).body.errors?.[0]?.extensions?.code;
    expect(await code({ first: 0 })).toBe('BAD_USER_INPUT');
    expect(await code({ first: 501 })).toBe('BAD_USER_INPUT');
    expect(await code({ after: 'bm90IGEgY3Vyc29y' })).toBe('BAD_USER_INPUT');
    expect(await code({ filter: { from: 'yesterday' } })).toBe('BAD_USER_INPUT');
    expect(await code({ filter: { to: '2020-02-30T00:00:00' } })).toBe('BAD_USER_INPUT');
  });

  describe('under row-level security, without the resolver', () => {
    const person = (pid: string): Principal => ({ kind: 'person', pid, acr: 'idporten-loa-substantial' });
    const searchAs = (principal: Principal, orgnr = FJ) =>
      new AuditStore(callerScoped(platform.db, principal)).reads.search({ orgnr, ...RANGE }, null, 100);

    it("shows an AUDIT.READ holder the organisation's events, and nobody else's", async () => {
      expect((await searchAs(person(reader.pid))).map((e) => e.id).sort()).toEqual(
        fjordvik.map((r) => r.id).sort(),
      );
      expect(await searchAs(person(reader.pid), HEIBERG)).toEqual([]);
      expect(await searchAs(person(per.pid))).toEqual([]);
    });

    it('shows an integration acting for a person only the events about that person', async () => {
      const forSubject: Principal = {
        kind: 'integration',
        integrationId: CASE_SYSTEM,
        orgnr: DEMO_ORGS.vendor.orgnr,
        onBehalfOf: { pid: subjects[0]!, acr: 'idporten-loa-substantial' },
      };
      const seen = await searchAs(forSubject);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((e) => e.dataSubject === subjects[0])).toBe(true);
      const alone: Principal = {
        kind: 'integration',
        integrationId: CASE_SYSTEM,
        orgnr: DEMO_ORGS.vendor.orgnr,
      };
      expect(await searchAs(alone)).toEqual([]);
    });
  });
});
