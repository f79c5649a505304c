// #9 item 8: nothing that should be fresh is taken from the client. The login-binding cookie, the session cookie,
// the state, nonce and PKCE verifier, and the request id are minted by the gateway, whatever the browser sends.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { loginWithTestId, TestBrowser } from '../../simulators/idporten-browser.ts';
import { finishLogin, startHarness, startLogin, whoami, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** Values an attacker could have planted in the victim's browser (cookie tossing from a sibling host). */
const PLANTED = 'P'.repeat(43);
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** The login-binding cookies (name and value) set by an answer. */
function loginCookies(response: Response): { name: string; value: string; line: string }[] {
  return response.headers
    .getSetCookie()
    .filter((line) => line.startsWith('fiks_login'))
    .map((line) => {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      return { name: pair.slice(0, eq), value: pair.slice(eq + 1), line };
    });
}

async function attemptHash(state: string): Promise<string> {
  const [row] = await h.db.query<{ browser_hash: string }>(
    'select browser_hash from gateway.login_attempt where state = $1',
    [state],
  );
  return row!.browser_hash;
}

describe('gateway / session values the client cannot choose', () => {
  it('mints a new login-binding cookie even when the browser presents a well-formed one', async () => {
    const planted = [`fiks_login=${PLANTED}`, `fiks_login_x=${PLANTED}`].join('; ');
    const response = await fetch(new URL('/auth/login', h.appUrl), {
      headers: { cookie: planted },
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    const state = new URL(response.headers.get('location')!).searchParams.get('state')!;
    const [minted, ...others] = loginCookies(response);
    expect(others).toEqual([]);
    expect(minted!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(minted!.value).not.toBe(PLANTED);
    // The attempt is bound to the minted value, never to the planted one.
    expect(await attemptHash(state)).toBe(sha256(minted!.value));
    expect(await attemptHash(state)).not.toBe(sha256(PLANTED));
  });

  it('refuses a callback that presents only the planted binder', async () => {
    const start = await fetch(new URL('/auth/login', h.appUrl), {
      headers: { cookie: `fiks_login=${PLANTED}` },
      redirect: 'manual',
    });
    const [minted] = loginCookies(start);
    const callback = await loginWithTestId(start.headers.get('location')!, { pid: DEMO_PERSONS.kari.pid });
    const planted = await fetch(callback, {
      headers: { cookie: `fiks_login=${PLANTED}; ${minted!.name}=${PLANTED}` },
      redirect: 'manual',
    });
    expect(planted.status).toBe(400);
    expect(planted.headers.getSetCookie().some((l) => l.startsWith('fiks_session='))).toBe(false);
  });

  it('binds each login to its own fresh cookie, so two logins started in one browser both complete', async () => {
    const browser = new TestBrowser();
    const first = await startLogin(h, browser, '/first');
    const second = await startLogin(h, browser, '/second');
    const hashes = [
      await attemptHash(first.searchParams.get('state')!),
      await attemptHash(second.searchParams.get('state')!),
    ];
    expect(hashes[0]).not.toBe(hashes[1]);
    // Finished in the opposite order, as two tabs might be.
    for (const [authorization, where] of [
      [second, '/second'],
      [first, '/first'],
    ] as const) {
      const callback = await loginWithTestId(authorization, { pid: DEMO_PERSONS.ola.pid }, browser);
      const { response, cookie } = await finishLogin(browser, callback);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(where);
      expect((await whoami(h, cookie)).status).toBe(200);
    }
  });

  it('clears the login-binding cookie of a login once its callback has used it', async () => {
    const browser = new TestBrowser();
    const start = await browser.request(new URL('/auth/login', h.appUrl));
    const [minted] = loginCookies(start);
    const callback = await loginWithTestId(
      start.headers.get('location')!,
      { pid: DEMO_PERSONS.ola.pid },
      browser,
    );
    const { response } = await finishLogin(browser, callback);
    const cleared = loginCookies(response).find((c) => c.name === minted!.name);
    expect(cleared?.value).toBe('');
    expect(cleared?.line).toMatch(/Max-Age=0/);
  });

  it('mints a new session cookie at login, whatever session cookie the browser presents', async () => {
    const start = await fetch(new URL('/auth/login', h.appUrl), { redirect: 'manual' });
    const [minted] = loginCookies(start);
    const callback = await loginWithTestId(start.headers.get('location')!, { pid: DEMO_PERSONS.ola.pid });
    const landed = await fetch(callback, {
      headers: { cookie: `${minted!.name}=${minted!.value}; fiks_session=${PLANTED}` },
      redirect: 'manual',
    });
    expect(landed.status).toBe(303);
    const session = landed.headers
      .getSetCookie()
      .find((l) => l.startsWith('fiks_session='))!
      .split(';')[0]!
      .slice('fiks_session='.length);
    expect(session).not.toBe(PLANTED);
    expect((await whoami(h, PLANTED)).status).toBe(401);
    expect((await whoami(h, session)).status).toBe(200);
  });

  it('sends ID-porten its own state, nonce and PKCE challenge, never ones from the request', async () => {
    const url = new URL('/auth/login', h.appUrl);
    for (const [name, value] of Object.entries({
      state: PLANTED,
      nonce: PLANTED,
      code_challenge: PLANTED,
      code_verifier: PLANTED,
      redirect_uri: 'https://evil.example/cb',
    })) {
      url.searchParams.set(name, value);
    }
    const response = await fetch(url, { headers: { cookie: `fiks_login=${PLANTED}` }, redirect: 'manual' });
    expect(response.status).toBe(303);
    const authorization = new URL(response.headers.get('location')!);
    for (const name of ['state', 'nonce', 'code_challenge']) {
      expect(authorization.searchParams.get(name)).toMatch(/^[A-Za-z0-9_-]{22,}$/);
      expect(authorization.searchParams.get(name)).not.toBe(PLANTED);
    }
    expect(authorization.searchParams.get('redirect_uri')).toBe(`${h.appUrl}/auth/callback`);
  });

  it("answers under its own request id, not the caller's x-request-id", async () => {
    const response = await fetch(new URL('/auth/login', h.appUrl), {
      headers: { 'x-request-id': 'forged-request-id' },
      redirect: 'manual',
    });
    const id = response.headers.get('x-request-id');
    expect(id).not.toBe('forged-request-id');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
