// #9 item 3: starting browser logins is bounded per client address, since each /auth/login stores an attempt row.
// A token bucket: `burst` at once, then `perMinute`; beyond it a 429 page with Retry-After and nothing stored.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ loginRate: { perMinute: 6, burst: 3 } });
});
afterAll(async () => {
  await h?.stop();
});

interface Answer {
  status: number;
  location: string | undefined;
  retryAfter: string | undefined;
  type: string | undefined;
  text: string;
}

/** GET /auth/login from a given loopback address (127.0.0.2 is loopback too, and another client to the gateway). */
function startLogin(localAddress = '127.0.0.1'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/auth/login', h.appUrl), { localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          location: res.headers.location,
          retryAfter: res.headers['retry-after'],
          type: res.headers['content-type'],
          text: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

async function attempts(): Promise<number> {
  const [row] = await h.db.query<{ n: number }>('select count(*)::int as n from gateway.login_attempt');
  return row!.n;
}

describe('gateway / session login rate per address', () => {
  it('lets an address start its burst of logins, then answers 429 with Retry-After and stores nothing', async () => {
    for (let i = 0; i < 3; i += 1) expect((await startLogin()).status).toBe(303);
    const before = await attempts();
    for (let i = 0; i < 5; i += 1) {
      const refused = await startLogin();
      expect(refused.status).toBe(429);
      expect(refused.location).toBeUndefined();
      // Six a minute: the next login is possible in ten seconds.
      expect(refused.retryAfter).toBe('10');
      expect(refused.type).toMatch(/^text\/html/);
      expect(refused.text).not.toMatch(/Error|\bat \S+\.ts/);
    }
    expect(await attempts()).toBe(before);
  });

  it('does not hold one address back for another', async () => {
    expect((await startLogin('127.0.0.2')).status).toBe(303);
  });

  it('refills at the configured rate', async () => {
    expect((await startLogin()).status).toBe(429);
    h.clock.advance(10_000);
    expect((await startLogin()).status).toBe(303);
    expect((await startLogin()).status).toBe(429);
  });
});
