// The audit log's streaming export (issue #10 item 9): GET /audit/export at the gateway, authenticated as GraphQL
// requests are, forwarded to the audit subgraph with a caller token and streamed through. 100,000 events come out
// complete and in order while the process's heap stays flat; refusals are JSON error bodies with a stable code and
// the request id; and every export is recorded, with how many rows it handed over — also when the reader goes away.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { asPerson, type Headers } from '../privileges/support.ts';
import { browserLogin } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { auditReader, eventsOf, freshPid } from './reading-support.ts';

const FJ = DEMO_ORGS.fjordvik.orgnr;
const HEIBERG = DEMO_ORGS.heiberg.orgnr;
const { kari, per, hans } = DEMO_PERSONS;
const EVENTS = 100_000;
const MiB = 1024 * 1024;
/** The 100,000 events' range: 2023-01-01 from 00:00:00.001, two events each millisecond. */
const BULK = { from: '2023-01-01T00:00:00Z', to: '2023-01-02T00:00:00Z' };

// A full collection on demand, so that what is measured is what is held, not garbage not yet collected. Vitest does
// not pass --expose-gc; the flag can still be set at run time, and a new context then sees `gc`.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** What the process holds: the JavaScript heap and the Buffers outside it (where a body held whole would sit). */
const held = () => {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

describe('audit / export', () => {
  let platform: TestPlatform;
  let admin: Headers;

  const exportUrl = (params: Record<string, string>) =>
    `${platform.gatewayUrl}/audit/export?${new URLSearchParams(params).toString()}`;
  const get = (params: Record<string, string>, headers: Headers = {}, signal?: AbortSignal) =>
    fetch(exportUrl(params), { headers, signal });

  /** Reads the body line by line as it arrives, handing each parsed line to `each`; answers the line count. */
  async function readLines(response: Response, each: (line: Record<string, unknown>, n: number) => void) {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let rest = '';
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const lines = (rest + value).split('\n');
      rest = lines.pop()!;
      for (const line of lines) each(JSON.parse(line) as Record<string, unknown>, ++n);
    }
    expect(rest).toBe('');
    return n;
  }

  beforeAll(async () => {
    // The checkpointer would hash the 100,000 events in this same process while they are exported: what is measured
    // here is the export, so it waits an hour (tamper-background.test.ts tests it).
    platform = await startTestPlatform({ AUDIT_CHECKPOINT_INTERVAL_MS: '3600000' });
    admin = await asPerson(platform, kari.pid);
    // One statement, as the database owner: event n at n/2 ms past midnight (two per millisecond, so the order
    // within a millisecond is the order of appending), with a payload that makes each line about 700 bytes.
    await platform.db.query(
      `insert into audit.event (occurred_at, actor_type, actor_id, orgnr, service, action, data_subject, payload)
       select timestamptz '2023-01-01T00:00:00Z' + (n / 2) * interval '1 millisecond', 'PERSON', $1, $2,
              'documents', 'PERSONAL_DATA_READ', $3, jsonb_build_object('n', n, 'pad', repeat('x', 400))
         from generate_series(1, $4::int) as n`,
      [per.pid, FJ, freshPid(), EVENTS],
    );
    // Heiberg's events in the same range: none may come out of Fjordvik's export.
    await platform.db.query(
      `insert into audit.event (occurred_at, actor_type, actor_id, orgnr, service, action)
       select timestamptz '2023-01-01T00:00:00Z' + n * interval '1 second', 'PERSON', $1, $2, 'documents',
              'PERSONAL_DATA_READ'
         from generate_series(1, 1000) as n`,
      [hans.pid, HEIBERG],
    );
  });
  afterAll(() => platform.stop());

  it('exports 100,000 events complete and oldest first, holding no more than a little of them at a time', async () => {
    const baseline = held();
    let peak = 0;
    const response = await get({ orgnr: FJ, ...BULK }, admin);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    let bytes = 0;
    const count = await readLines(response, (line, n) => {
      // The n-th line is the n-th event appended, in Fjordvik, ordered by time and then by appending.
      expect((line.payload as { n: number }).n).toBe(n);
      expect(line.orgnr).toBe(FJ);
      bytes += JSON.stringify(line).length + 1;
      if (n % 10_000 === 0) peak = Math.max(peak, held() - baseline);
    });
    expect(count).toBe(EVENTS);
    // Buffering the export anywhere on its way (the subgraph's rows, the gateway's body) would hold more than this.
    expect(bytes).toBeGreaterThan(64 * MiB);
    expect(peak).toBeLessThan(64 * MiB);

    const requestId = response.headers.get('x-request-id');
    const [exported] = await eventsOf(platform, 'AUDIT_EXPORTED', kari.pid);
    expect(exported).toEqual({
      orgnr: FJ,
      data_subject: null,
      request_id: requestId,
      payload: {
        from: '2023-01-01T00:00:00.000Z',
        to: '2023-01-02T00:00:00.000Z',
        count: EVENTS,
        complete: true,
      },
    });
    const [started] = await eventsOf(platform, 'AUDIT_EXPORT_STARTED', kari.pid);
    expect(started?.request_id).toBe(requestId);
  }, 180_000);

  it('records how many rows it handed over when the reader goes away', async () => {
    const abort = new AbortController();
    const response = await get({ orgnr: FJ, ...BULK }, admin, abort.signal);
    const requestId = response.headers.get('x-request-id');
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    abort.abort();
    const exported = await vi.waitFor(
      async () => {
        const events = await eventsOf(platform, 'AUDIT_EXPORTED', kari.pid);
        const event = events.find((e) => e.request_id === requestId);
        if (!event) throw new Error('not recorded yet');
        return event;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(exported.payload.complete).toBe(false);
    expect(exported.payload.count).toBeGreaterThan(0);
    expect(exported.payload.count).toBeLessThan(EVENTS);
  }, 60_000);

  it('lets an AUDIT.READ holder export, and a browser session with the header a page must add', async () => {
    const small = { from: '2023-01-01T00:00:00Z', to: '2023-01-01T00:00:00.010Z' };
    const reader = await auditReader(platform, admin);
    const asReader = await get({ orgnr: FJ, ...small }, reader.headers);
    expect(asReader.status).toBe(200);
    expect(await readLines(asReader, () => undefined)).toBe(19);

    const { cookie } = await browserLogin(platform, kari.pid);
    const withHeader = await get({ orgnr: FJ, ...small }, { cookie, 'x-requested-with': 'fetch' });
    expect(withHeader.status).toBe(200);
    expect(await readLines(withHeader, () => undefined)).toBe(19);
    const without = await get({ orgnr: FJ, ...small }, { cookie });
    expect(without.status).toBe(400);
    expect(((await without.json()) as ErrorBody).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  type ErrorBody = { errors: { message: string; extensions: { code: string; requestId: string } }[] };

  it('refuses with a JSON error body, a stable code and the request id, recording the refusal and no export', async () => {
    const refused = async (params: Record<string, string>, headers: Headers) => {
      const response = await get(params, headers);
      const body = (await response.json()) as ErrorBody;
      const [error] = body.errors;
      expect(error!.extensions.requestId).toBe(response.headers.get('x-request-id'));
      return [response.status, error!.extensions.code];
    };
    const range = { orgnr: FJ, ...BULK };
    expect(await refused(range, {})).toEqual([401, 'UNAUTHENTICATED']);
    expect(await refused(range, await asPerson(platform, per.pid))).toEqual([403, 'FORBIDDEN']);
    expect(await refused(range, await asPerson(platform, hans.pid))).toEqual([403, 'FORBIDDEN']);
    expect(await refused(range, await platform.asIntegration())).toEqual([403, 'FORBIDDEN']);
    expect(await refused({ ...range, orgnr: '12345' }, admin)).toEqual([400, 'BAD_USER_INPUT']);
    expect(await refused({ ...range, from: 'yesterday' }, admin)).toEqual([400, 'BAD_USER_INPUT']);
    expect(await refused({ ...range, from: BULK.to, to: BULK.from }, admin)).toEqual([400, 'BAD_USER_INPUT']);
    for (const pid of [per.pid, hans.pid])
      expect(await eventsOf(platform, 'AUDIT_EXPORT_STARTED', pid)).toEqual([]);
    const [refusal] = await eventsOf(platform, 'AUDIT_EXPORT_REFUSED', hans.pid);
    expect(refusal).toMatchObject({
      orgnr: null,
      payload: { orgnr: FJ, from: '2023-01-01T00:00:00.000Z', to: '2023-01-02T00:00:00.000Z' },
    });
  });

  it('sends not one line, only AUDIT_UNAVAILABLE, when the export cannot be recorded', async () => {
    await platform.db.query('alter function audit.append_event rename to append_event_unavailable');
    try {
      const response = await get({ orgnr: FJ, ...BULK }, admin);
      expect(response.status).toBe(503);
      const body = (await response.json()) as ErrorBody;
      expect(body.errors.map((e) => e.extensions.code)).toEqual(['AUDIT_UNAVAILABLE']);
      expect(body.errors[0]!.extensions.requestId).toBe(response.headers.get('x-request-id'));
    } finally {
      await platform.db.query('alter function audit.append_event_unavailable rename to append_event');
    }
  });
});
