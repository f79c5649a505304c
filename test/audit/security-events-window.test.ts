// Counted security events (auditlog/failure-window.ts) against a real audit table: a flood is one event per source
// and window with its count, memory is capped with one overflow event, and nothing waits on a timer: the clock is
// injected and windows are written by an explicit flush.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFailureWindow, ANONYMOUS_ACTOR, type CountedEvent } from '../../auditlog/failure-window.ts';
import { createGroupCommitter } from '../../auditlog/group-commit.ts';
import { openDatabase, type Db } from '../../db/database.ts';
import { migrate } from '../../db/migrations.ts';
import { audit } from '../../subgraphs/audit/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

interface Row {
  actor_type: string;
  actor_id: string;
  orgnr: string | null;
  service: string;
  action: string;
  request_id: string | null;
  payload: Record<string, unknown>;
}

const WINDOW_MS = 60_000;
const START = Date.parse('2026-03-02T08:00:00.000Z');

const failure = (source: string, reason = 'wrong_password'): CountedEvent => ({
  action: 'LOGIN_FAILED',
  actor: ANONYMOUS_ACTOR,
  orgnr: null,
  key: { source },
  reason,
});

describe('audit / security events / failure window', () => {
  let testDb: TestDatabase;
  let db: Db;
  let clock: number;
  let test = 0;
  /** Each test writes under its own service name, so it reads back only its own events. */
  let service: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase(testDb.target);
    await migrate(db, 'audit', audit.migrations);
  });
  afterAll(async () => {
    await db.close();
    await testDb.drop();
  });

  function windowOf(options: { maxSources?: number; onWriteError?: (e: unknown, n: number) => void } = {}) {
    clock = START;
    service = `window-test-${++test}`;
    return createFailureWindow({
      appender: createGroupCommitter(db),
      service,
      windowMs: WINDOW_MS,
      now: () => clock,
      ...options,
    });
  }
  const stored = () =>
    db.query<Row>(
      `select actor_type, actor_id, orgnr, service, action, request_id, payload
         from audit.event where service = $1 order by seq`,
      [service],
    );

  it('writes a flood of 1,000 failures from one source in one window as one event with count 1000', async () => {
    const window = windowOf();
    for (let i = 0; i < 1000; i++) {
      window.record(failure('198.51.100.7', i % 2 === 0 ? 'wrong_password' : 'unknown_integration'));
      clock += 50; // 1,000 failures in 50 s: all in the window the first one opened
    }
    await window.flush();
    expect(await stored()).toEqual([]); // the window is still open
    clock = START + WINDOW_MS;
    await window.flush();
    const rows = await stored();
    expect(rows).toEqual([
      {
        actor_type: 'ANONYMOUS',
        actor_id: '-',
        orgnr: null,
        service,
        action: 'LOGIN_FAILED',
        request_id: null,
        payload: {
          source: '198.51.100.7',
          count: 1000,
          reasons: ['unknown_integration', 'wrong_password'],
          firstAt: '2026-03-02T08:00:00.000Z',
          lastAt: '2026-03-02T08:00:49.950Z',
          windowSeconds: 60,
        },
      },
    ]);
  });

  it('counts each source apart, and a source again in its next window', async () => {
    const window = windowOf();
    window.record(failure('198.51.100.1'));
    window.record(failure('198.51.100.2'));
    window.record(failure('198.51.100.1'));
    clock += WINDOW_MS; // the first window of .1 has closed: this opens its next one
    window.record(failure('198.51.100.1', 'unknown_state'));
    await window.close();
    const counts = (await stored()).map((r) => [r.payload.source, r.payload.count, r.payload.reasons]);
    expect(counts).toEqual(
      expect.arrayContaining([
        ['198.51.100.1', 2, ['wrong_password']],
        ['198.51.100.2', 1, ['wrong_password']],
        ['198.51.100.1', 1, ['unknown_state']],
      ]),
    );
    expect(counts).toHaveLength(3);
  });

  it('keeps at most maxSources sources, counting the rest in one overflow event without their addresses', async () => {
    const window = windowOf({ maxSources: 3 });
    for (let i = 0; i < 10; i++) window.record(failure(`203.0.113.${i}`));
    window.record(failure('203.0.113.9', 'login_rate'));
    await window.close();
    const rows = await stored();
    expect(rows.filter((r) => r.payload.overflow === undefined).map((r) => r.payload.source)).toEqual([
      '203.0.113.0',
      '203.0.113.1',
      '203.0.113.2',
    ]);
    const overflow = rows.filter((r) => r.payload.overflow === true);
    expect(overflow).toHaveLength(1);
    expect(overflow[0]).toMatchObject({
      actor_type: 'ANONYMOUS',
      action: 'LOGIN_FAILED',
      payload: { overflow: true, count: 8, reasons: ['login_rate', 'wrong_password'] },
    });
    expect(JSON.stringify(overflow[0])).not.toContain('203.0.113.');
  });

  it('stores only stable reason codes, and a bounded number of them', async () => {
    const window = windowOf();
    window.record(failure('192.0.2.1', 'token_OAUTH_INVALID_RESPONSE'));
    window.record(failure('192.0.2.1', "token_<script>alert('x')</script>"));
    for (let i = 0; i < 100; i++) window.record(failure('192.0.2.1', `reason_${i}`));
    await window.close();
    const [row] = await stored();
    const reasons = row!.payload.reasons as string[];
    expect(reasons).toContain('token_oauth_invalid_response');
    expect(reasons).toContain('other');
    expect(reasons).toHaveLength(20);
    expect(row!.payload.count).toBe(102);
  });

  it('collects details distinct and keeps the first request id', async () => {
    const window = windowOf();
    const refusal = (operation: string, requestId: string): CountedEvent => ({
      action: 'OPERATION_REFUSED',
      actor: { actorType: 'INTEGRATION', actorId: '5d1f3c2e-8a4b-4c6d-9e0f-1a2b3c4d5e6f', onBehalfOf: null },
      orgnr: '933000001',
      key: { code: 'FORBIDDEN' },
      details: { operations: [operation], fields: ['Query.whoMay'] },
      requestId,
    });
    window.record(refusal('WhoMay', 'request-1'));
    window.record(refusal('WhoMay', 'request-2'));
    window.record(refusal('Other', 'request-3'));
    await window.close();
    expect(await stored()).toEqual([
      expect.objectContaining({
        actor_type: 'INTEGRATION',
        orgnr: '933000001',
        request_id: 'request-1',
        payload: expect.objectContaining({
          code: 'FORBIDDEN',
          count: 3,
          operations: ['Other', 'WhoMay'],
          fields: ['Query.whoMay'],
          reasons: [],
        }) as unknown,
      }),
    ]);
  });

  it('reports a write that fails and drops it, without failing the caller', async () => {
    const bare = await createTestDatabase();
    const noAudit = await openDatabase(bare.target); // no audit schema: every append fails in the database
    try {
      const failures: number[] = [];
      const window = createFailureWindow({
        appender: createGroupCommitter(noAudit),
        service: 'window-test-failing',
        now: () => START,
        onWriteError: (_error, events) => failures.push(events),
      });
      window.record(failure('192.0.2.9'));
      window.record(failure('192.0.2.10'));
      await window.close();
      expect(failures).toEqual([2]);
    } finally {
      await noAudit.close();
      await bare.drop();
    }
  });
});
