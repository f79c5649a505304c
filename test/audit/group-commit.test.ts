// Group commit (issue #10, item 5): events of concurrent requests are appended by one statement, each request's
// promise settling only when its own events are stored; a failed write fails exactly the requests in its group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../auditlog/event.ts';
import { createGroupCommitter } from '../../auditlog/group-commit.ts';
import type { Queryable } from '../../db/database.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

function event(requestId: string): AuditEvent {
  return {
    actorType: 'PLATFORM',
    actorId: 'group-commit-test',
    onBehalfOf: null,
    orgnr: null,
    service: 'test',
    action: 'GROUP_COMMIT_TEST',
    requestId,
    payload: { n: requestId },
  };
}

describe('audit / group commit', () => {
  let platform: TestPlatform;
  /** The real database, with every statement it is given counted (and, when asked, one of them failed). */
  let statements: number;
  let failStatement: number | null;
  let observed: Queryable;

  const stored = async (prefix: string) =>
    (
      await platform.db.query<{ n: number }>(
        `select count(*)::int as n from audit.event where action = 'GROUP_COMMIT_TEST' and request_id like $1`,
        [`${prefix}%`],
      )
    )[0]!.n;

  beforeAll(async () => {
    platform = await startTestPlatform({ SEED_DEMO_DATA: 'false' });
    observed = {
      query(text, params) {
        statements += 1;
        if (statements === failStatement) return Promise.reject(new Error('the database went away'));
        return platform.db.query(text, params);
      },
    };
  });
  afterAll(() => platform.stop());

  it('writes 200 concurrent requests in two statements and settles each once stored', async () => {
    statements = 0;
    failStatement = null;
    const appender = createGroupCommitter(observed);
    await Promise.all(Array.from({ length: 200 }, (_, i) => appender.append([event(`a-${i}`)])));
    // The first request finds the writer idle and goes alone; the other 199 arrive while it writes.
    expect(statements).toBe(2);
    expect(await stored('a-')).toBe(200);
  });

  it("keeps a request's events together and no group larger than the limit", async () => {
    statements = 0;
    failStatement = null;
    const appender = createGroupCommitter(observed, { maxGroupEvents: 10 });
    const requests = Array.from({ length: 8 }, (_, i) =>
      appender.append([event(`b-${i}-1`), event(`b-${i}-2`), event(`b-${i}-3`)]),
    );
    await Promise.all(requests);
    // 1 alone, then 7 requests of 3 events in groups of at most 10 events: 3 + 3 + 1 requests.
    expect(statements).toBe(4);
    expect(await stored('b-')).toBe(24);
  });

  it('fails exactly the requests of a failed group, stores none of their events, and goes on', async () => {
    statements = 0;
    failStatement = 2;
    const appender = createGroupCommitter(observed);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => appender.append([event(`c-${i}`)])),
    );
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(await stored('c-')).toBe(1);
    await appender.append([event('c-after')]);
    expect(await stored('c-after')).toBe(1);
  });

  it('refuses a malformed event on its own, without failing the others', async () => {
    statements = 0;
    failStatement = null;
    const appender = createGroupCommitter(observed);
    const outcomes = await Promise.allSettled([
      appender.append([event('d-1')]),
      appender.append([{ ...event('d-2'), action: 'not an action' }]),
      appender.append([event('d-3')]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await stored('d-')).toBe(2);
  });
});
