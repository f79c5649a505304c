import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { createSessions } from '../../gateway/session/index.ts';
import { logoutWithTestId, TestBrowser } from '../../simulators/idporten-browser.ts';
import {
  ACCESS_TOKEN_SECONDS,
  countSessions,
  logIn,
  logOutAtIdportenElsewhere,
  requestWithCookie,
  startHarness,
  whoami,
  type Harness,
} from './harness.ts';

const MINUTE = 60_000;
/** Past the access token's expiry, on the gateway's clock. */
const ACCESS_TOKEN_DUE = ACCESS_TOKEN_SECONDS * 1000 + 1;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ idleMinutes: 30, maxMinutes: 60 });
});
afterAll(async () => {
  await h?.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Counts the requests this process makes to ID-porten's token endpoint (openid-client uses the global fetch). */
function countTokenRequests(): () => number {
  const original = globalThis.fetch;
  let count = 0;
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url === `${h.idporten.issuer}/token`) count += 1;
    return original(input, init);
  });
  return () => count;
}

async function sessionRow(id: string) {
  const [row] = await h.db.query<{
    access_token_sealed: string;
    refresh_token_sealed: string;
    access_token_expires_at: Date | string;
  }>('select * from gateway.session where id = $1', [id]);
  return row;
}

async function expectLoginExpired(cookie: string) {
  const { status, body } = await whoami(h, cookie);
  expect(status).toBe(401);
  expect(body.error).toEqual({
    code: 'UNAUTHENTICATED',
    message: 'Innloggingen er utløpt',
    extensions: { loginUrl: `${h.appUrl}/auth/login` },
  });
}

describe('gateway / session lifecycle', () => {
  it('answers null for a request without a session cookie', async () => {
    expect(await whoami(h)).toEqual({ status: 200, body: { principal: null } });
  });

  it('answers UNAUTHENTICATED with the login URL for a cookie that names no session', async () => {
    await expectLoginExpired(randomBytes(32).toString('base64url'));
    await expectLoginExpired('not-even-the-right-shape');
    expect(h.sessions.loginUrl).toBe(`${h.appUrl}/auth/login`);
  });

  it('renews the ID-porten tokens when the access token is due and keeps the person logged in', async () => {
    const { cookie } = await logIn(h, { pid: DEMO_PERSONS.kari.pid });
    const { sessionId } = (await whoami(h, cookie)).body.principal!;
    const before = (await sessionRow(sessionId))!;

    h.clock.advance(ACCESS_TOKEN_DUE);
    const { status, body } = await whoami(h, cookie);
    expect(status).toBe(200);
    expect(body.principal).toMatchObject({ pid: DEMO_PERSONS.kari.pid, sessionId });

    const after = (await sessionRow(sessionId))!;
    expect(after.access_token_sealed).not.toBe(before.access_token_sealed);
    // Refresh tokens rotate.
    expect(after.refresh_token_sealed).not.toBe(before.refresh_token_sealed);
    expect(new Date(after.access_token_expires_at).getTime()).toBeGreaterThan(h.clock.now);
  });

  it('renews once for concurrent requests of one session', async () => {
    const { cookie } = await logIn(h, { pid: DEMO_PERSONS.ola.pid });
    h.clock.advance(ACCESS_TOKEN_DUE);
    const tokenRequests = countTokenRequests();
    // Had two requests refreshed with the same refresh token, ID-porten would refuse the second (rotation).
    const answers = await Promise.all(Array.from({ length: 6 }, () => whoami(h, cookie)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(tokenRequests()).toBe(1);
    expect((await whoami(h, cookie)).status).toBe(200);
    expect(tokenRequests()).toBe(1);
  });

  it('lets two gateway processes renew one session in turn on the row lock', async () => {
    const { cookie } = await logIn(h, { pid: DEMO_PERSONS.siri.pid });
    const other = await createSessions(h.options);
    h.clock.advance(ACCESS_TOKEN_DUE);
    const tokenRequests = countTokenRequests();
    const [a, b] = await Promise.all([
      h.sessions.authenticate(requestWithCookie(cookie)),
      other.authenticate(requestWithCookie(cookie)),
    ]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ pid: DEMO_PERSONS.siri.pid });
    // The second process waited on the row lock and found the tokens already renewed.
    expect(tokenRequests()).toBe(1);
    expect((await whoami(h, cookie)).status).toBe(200);
  });

  it('ends the session with UNAUTHENTICATED and the login URL when ID-porten refuses to renew', async () => {
    const { cookie, browser } = await logIn(h, { pid: DEMO_PERSONS.per.pid });
    const { sessionId } = (await whoami(h, cookie)).body.principal!;
    // The person logs out of ID-porten in another service, and the front-channel call to us is lost.
    const frontChannel = await logOutAtIdportenElsewhere(h, browser);
    expect(frontChannel.some((u) => u.href.startsWith(`${h.appUrl}/auth/frontchannel-logout`))).toBe(true);
    expect((await whoami(h, cookie)).status).toBe(200);

    h.clock.advance(ACCESS_TOKEN_DUE);
    await expectLoginExpired(cookie);
    expect(await sessionRow(sessionId)).toBeUndefined();
  });

  it('answers SERVICE_UNAVAILABLE and keeps the session when ID-porten cannot be reached to renew', async () => {
    const { cookie } = await logIn(h, { pid: DEMO_PERSONS.ola.pid });
    // Another gateway process whose ID-porten is unreachable (nothing listens on the discard port).
    const cutOff = await createSessions({
      ...h.options,
      idporten: { ...h.options.idporten, issuer: 'http://127.0.0.1:9' },
    });
    h.clock.advance(ACCESS_TOKEN_DUE);
    await expect(cutOff.authenticate(requestWithCookie(cookie))).rejects.toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
    expect((await whoami(h, cookie)).status).toBe(200);
  });

  it('ends a session idle for longer than the idle limit', async () => {
    const { cookie } = await logIn(h, { pid: DEMO_PERSONS.liv.pid });
    const { sessionId } = (await whoami(h, cookie)).body.principal!;
    h.clock.advance(30 * MINUTE);
    await expectLoginExpired(cookie);
    expect(await sessionRow(sessionId)).toBeUndefined();
  });

  it('keeps an active session past the idle limit, and ends it at its maximum age however active', async () => {
    const { cookie } = await logIn(h, { pid: DEMO_PERSONS.hans.pid });
    for (let minutes = 25; minutes < 60; minutes += 25) {
      h.clock.advance(25 * MINUTE);
      expect((await whoami(h, cookie)).status, `after ${minutes} minutes`).toBe(200);
    }
    h.clock.advance(10 * MINUTE);
    await expectLoginExpired(cookie);
  });

  it('ends a session sealed under another key (a restart without SESSION_ENCRYPTION_KEY)', async () => {
    const { cookie } = await logIn(h, { pid: DEMO_PERSONS.kari.pid });
    const restarted = await createSessions({ ...h.options, encryptionKey: undefined });
    await expect(restarted.authenticate(requestWithCookie(cookie))).rejects.toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
      extensions: { loginUrl: `${h.appUrl}/auth/login` },
    });
    await expectLoginExpired(cookie);
  });
});

describe('gateway / session logout', () => {
  async function logout(cookie: string, headers: Record<string, string> = {}) {
    return fetch(new URL('/auth/logout', h.appUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `fiks_session=${cookie}`, ...headers },
      body: '{}',
    });
  }

  it('ends the session, clears the cookie and hands back the end-session URL with id_token_hint', async () => {
    const browser = new TestBrowser();
    const { cookie } = await logIn(h, { pid: DEMO_PERSONS.kari.pid, browser });
    const response = await logout(cookie, { origin: h.appUrl });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const cleared = response.headers.getSetCookie().find((c) => c.startsWith('fiks_session='));
    expect(cleared).toMatch(/^fiks_session=;/);
    expect(cleared).toMatch(/Max-Age=0/);
    const { endSessionUrl } = (await response.json()) as { endSessionUrl: string };
    const url = new URL(endSessionUrl);
    expect(url.origin + url.pathname).toBe(`${h.idporten.issuer}/logout`);
    expect(url.searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${h.appUrl}/`);
    await expectLoginExpired(cookie);

    // ID-porten accepts it and sends the person back to the gateway.
    const result = await logoutWithTestId(url, browser);
    expect(result.continueTo?.href).toBe(`${h.appUrl}/`);
  });

  it('clears the cookie and answers without an end-session URL when there is no session', async () => {
    const response = await logout(randomBytes(32).toString('base64url'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ endSessionUrl: null });
  });

  it('refuses a cross-site logout and keeps the session', async () => {
    const { cookie } = await logIn(h, { pid: DEMO_PERSONS.ola.pid });
    expect((await logout(cookie, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await logout(cookie, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // A form post is what a cross-site page can send without a preflight.
    const form = await fetch(new URL('/auth/logout', h.appUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `fiks_session=${cookie}` },
      body: 'a=b',
    });
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect((await whoami(h, cookie)).status).toBe(200);
  });

  it('ends the session when ID-porten calls front-channel logout with its iss and sid', async () => {
    const before = await countSessions(h.db);
    const { cookie, browser } = await logIn(h, { pid: DEMO_PERSONS.liv.pid });
    const frontChannel = await logOutAtIdportenElsewhere(h, browser);
    const ours = frontChannel.find((u) => u.href.startsWith(`${h.appUrl}/auth/frontchannel-logout`))!;
    expect(ours.searchParams.get('iss')).toBe(h.idporten.issuer);

    // The iframe: no cookies (a third-party context), only iss and sid.
    const response = await fetch(ours);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    await expectLoginExpired(cookie);
    expect(await countSessions(h.db)).toBe(before);
  });

  it('ignores a front-channel logout that names another issuer or no sid', async () => {
    const { cookie } = await logIn(h, { pid: DEMO_PERSONS.per.pid });
    const { sessionId } = (await whoami(h, cookie)).body.principal!;
    const [{ sid }] = (await h.db.query<{ sid: string }>('select sid from gateway.session where id = $1', [
      sessionId,
    ])) as [{ sid: string }];
    const queries: Record<string, string>[] = [
      { iss: 'https://evil.example', sid },
      { iss: h.idporten.issuer },
      { sid },
    ];
    for (const query of queries) {
      const url = new URL('/auth/frontchannel-logout', h.appUrl);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
      const response = await fetch(url);
      expect(response.status).toBe(400);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    expect((await whoami(h, cookie)).status).toBe(200);
  });
});
