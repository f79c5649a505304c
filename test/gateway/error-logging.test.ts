// A failure an operator must be able to follow: the response carries only a request id and a code; the log line
// for that request says what failed (the database's SQLSTATE and object) without quoting any data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import { GRANT } from '../privileges/support.ts';
import { personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

describe('logs / failed operations', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(() => platform.stop());

  it('logs why an operation failed, under its request id, without the data involved', async () => {
    const admin = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.kari.pid)}` };
    await platform.db.query('alter function audit.append_event rename to append_event_unavailable');
    let response;
    try {
      response = await platform.graphql(
        GRANT,
        {
          resourceId: DEMO_RESOURCES.fjordvikOppvekst,
          actorType: 'PERSON',
          actorId: DEMO_PERSONS.ola.pid,
          privilege: 'ARKIV.LES',
        },
        admin,
      );
    } finally {
      await platform.db.query('alter function audit.append_event_unavailable rename to append_event');
    }
    expect(response.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(response.body.errors?.[0]?.message).toBe('Internal server error.');
    const requestId = response.body.errors?.[0]?.extensions?.requestId as string;

    const failures = platform.logs
      .filter((line) => line.includes('"operation failed"') && line.includes(requestId))
      .map((line) => JSON.parse(line) as { error: Record<string, unknown> });
    // Once in the subgraph (with the database's reason), once in the gateway (as the subgraph reported it).
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures.some((f) => f.error.db_code === '42883')).toBe(true);
    const logs = platform.logs.join('');
    expect(logs).not.toContain(DEMO_PERSONS.ola.pid);
    expect(logs).not.toContain(DEMO_PERSONS.kari.pid);
  });
});
