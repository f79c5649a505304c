import { createHash, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { createSessions } from '../../gateway/session/index.ts';
import { createSealer } from '../../gateway/session/sealer.ts';
import { loginWithTestId, TestBrowser } from '../../simulators/idporten-browser.ts';
import {
  ACCESS_TOKEN_SECONDS,
  ENCRYPTION_KEY,
  countSessions,
  finishLogin,
  logIn,
  requestWithCookie,
  startHarness,
  startLogin,
  whoami,
  type Harness,
} from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function attemptCount(): Promise<number> {
  const [row] = await h.db.query<{ n: number }>('select count(*)::int as n from gateway.login_attempt');
  return row!.n;
}

describe('gateway / session login', () => {
  it('logs a person in and knows them by pid, acr and an opaque session id', async () => {
    const { cookie, location } = await logIn(h, { pid: DEMO_PERSONS.kari.pid, returnTo: '/graphql?x=1' });
    expect(location).toBe('/graphql?x=1');
    const { status, body } = await whoami(h, cookie);
    expect(status).toBe(200);
    const { sessionId, ...person } = body.principal!;
    expect(person).toEqual({ kind: 'person', pid: DEMO_PERSONS.kari.pid, acr: 'idporten-loa-substantial' });
    expect(sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The session id names the row; the cookie is a separate secret.
    expect(sessionId).not.toBe(cookie);
  });

  it('keeps the acr of a stronger login', async () => {
    const { cookie } = await logIn(h, { pid: DEMO_PERSONS.ola.pid, level: 'high' });
    expect((await whoami(h, cookie)).body.principal).toMatchObject({ acr: 'idporten-loa-high' });
  });

  it('ends a session opened below a minimum that was raised since', async () => {
    const { cookie } = await logIn(h, { pid: DEMO_PERSONS.siri.pid, level: 'substantial' });
    // Another gateway process on the same database, restarted with ACR_MINIMUM=idporten-loa-high.
    const raised = await createSessions({
      ...h.options,
      idporten: { ...h.options.idporten, acrMinimum: 'idporten-loa-high' },
    });
    await expect(raised.authenticate(requestWithCookie(cookie))).rejects.toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect((await whoami(h, cookie)).status).toBe(401);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, without Secure on plain HTTP and for at most the maximum session length', async () => {
    const { setCookie, cookie } = await logIn(h, { pid: DEMO_PERSONS.per.pid });
    const attributes = setCookie.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    expect(attributes).not.toContain('secure');
    expect(attributes).toContain(`max-age=${120 * 60}`);
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('stores the cookie only as its SHA-256, and the tokens and pid only sealed', async () => {
    const { cookie } = await logIn(h, { pid: DEMO_PERSONS.liv.pid });
    const { body } = await whoami(h, cookie);
    const [row] = await h.db.query<Record<string, string>>('select * from gateway.session where id = $1', [
      body.principal!.sessionId,
    ]);
    const stored = JSON.stringify(row);
    expect(row!.cookie_hash).toBe(createHash('sha256').update(cookie).digest('hex'));
    expect(stored).not.toContain(cookie);

    // Opened with the key, the sealed values are ID-porten's real tokens; none of them is in the row in clear.
    const sealer = createSealer(ENCRYPTION_KEY);
    const id = body.principal!.sessionId;
    const accessToken = sealer.open(row!.access_token_sealed!, `gateway.session:${id}:access_token`);
    const refreshToken = sealer.open(row!.refresh_token_sealed!, `gateway.session:${id}:refresh_token`);
    const idToken = sealer.open(row!.id_token_sealed!, `gateway.session:${id}:id_token`);
    expect(decodeJwt(accessToken).pid).toBe(DEMO_PERSONS.liv.pid);
    expect(decodeJwt(idToken).pid).toBe(DEMO_PERSONS.liv.pid);
    expect(refreshToken.length).toBeGreaterThan(20);
    for (const secret of [accessToken, refreshToken, idToken, DEMO_PERSONS.liv.pid]) {
      expect(stored).not.toContain(secret);
    }
    // A sealed value does not open in another row.
    expect(() =>
      sealer.open(row!.access_token_sealed!, `gateway.session:${randomUUID()}:access_token`),
    ).toThrow();
    // ID-porten's sid is kept in clear for front-channel logout.
    expect(row!.sid).toBe(decodeJwt(idToken).sid);
  });

  it('starts the code flow with PKCE S256, a fresh state and nonce per login and acr_values at the minimum', async () => {
    const first = await startLogin(h, new TestBrowser());
    const second = await startLogin(h, new TestBrowser());
    for (const url of [first, second]) {
      expect(url.origin).toBe(h.idporten.issuer);
      const p = url.searchParams;
      expect(p.get('response_type')).toBe('code');
      expect(p.get('client_id')).toBe('fiks-gateway');
      expect(p.get('redirect_uri')).toBe(`${h.appUrl}/auth/callback`);
      expect(p.get('scope')).toBe('openid');
      expect(p.get('code_challenge_method')).toBe('S256');
      expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(p.get('acr_values')).toBe('idporten-loa-substantial');
    }
    for (const name of ['state', 'nonce', 'code_challenge']) {
      expect(first.searchParams.get(name)).toBeTruthy();
      expect(first.searchParams.get(name)).not.toBe(second.searchParams.get(name));
    }
  });

  it('refuses a replayed callback and opens no second session', async () => {
    const browser = new TestBrowser();
    const callback = await loginWithTestId(
      await startLogin(h, browser),
      { pid: DEMO_PERSONS.siri.pid },
      browser,
    );
    const first = await finishLogin(browser, callback);
    expect(first.response.status).toBe(303);
    const before = await countSessions(h.db);
    const replay = await finishLogin(browser, callback);
    expect(replay.response.status).toBe(400);
    expect(replay.cookie).toBeUndefined();
    expect(await countSessions(h.db)).toBe(before);
  });

  it('refuses a callback with an unknown state', async () => {
    const browser = new TestBrowser();
    const callback = await loginWithTestId(
      await startLogin(h, browser),
      { pid: DEMO_PERSONS.hans.pid },
      browser,
    );
    callback.searchParams.set('state', 'not-the-state-we-sent');
    const before = await countSessions(h.db);
    const { response, cookie } = await finishLogin(browser, callback);
    expect(response.status).toBe(400);
    expect(cookie).toBeUndefined();
    expect(await countSessions(h.db)).toBe(before);
  });

  it('refuses an id_token whose nonce is not the one of the login attempt', async () => {
    const browser = new TestBrowser();
    const authorization = await startLogin(h, browser);
    const callback = await loginWithTestId(authorization, { pid: DEMO_PERSONS.kari.pid }, browser);
    await h.db.query(`update gateway.login_attempt set nonce = 'tampered' where state = $1`, [
      authorization.searchParams.get('state'),
    ]);
    const before = await countSessions(h.db);
    const { response, cookie } = await finishLogin(browser, callback);
    expect(response.status).toBe(401);
    expect(cookie).toBeUndefined();
    expect(await countSessions(h.db)).toBe(before);
  });

  it('refuses a login attempt whose sealed PKCE verifier was altered', async () => {
    const browser = new TestBrowser();
    const authorization = await startLogin(h, browser);
    const callback = await loginWithTestId(authorization, { pid: DEMO_PERSONS.kari.pid }, browser);
    // Another attempt's verifier: sealed under the right key, but bound to another state.
    const other = await startLogin(h, new TestBrowser());
    await h.db.query(
      `update gateway.login_attempt set code_verifier_sealed =
         (select code_verifier_sealed from gateway.login_attempt where state = $2) where state = $1`,
      [authorization.searchParams.get('state'), other.searchParams.get('state')],
    );
    const { response, cookie } = await finishLogin(browser, callback);
    expect(response.status).toBe(400);
    expect(cookie).toBeUndefined();
  });

  it('refuses a callback in another browser than the one that started the login (login CSRF)', async () => {
    const victim = new TestBrowser();
    const attacker = new TestBrowser();
    const callback = await loginWithTestId(
      await startLogin(h, attacker),
      { pid: DEMO_PERSONS.per.pid },
      attacker,
    );
    const { response, cookie } = await finishLogin(victim, callback);
    expect(response.status).toBe(400);
    expect(cookie).toBeUndefined();
  });

  it('refuses a login that took longer than ten minutes', async () => {
    const browser = new TestBrowser();
    const callback = await loginWithTestId(
      await startLogin(h, browser),
      { pid: DEMO_PERSONS.ola.pid },
      browser,
    );
    h.clock.advance(10 * 60 * 1000 + 1);
    const { response, cookie } = await finishLogin(browser, callback);
    expect(response.status).toBe(400);
    expect(cookie).toBeUndefined();
  });

  it('refuses a callback that carries an ID-porten error or no code, with a short page and no stack trace', async () => {
    for (const [params, status] of [
      [{ error: 'access_denied', error_description: 'cancelled' }, 401],
      [{}, 400],
    ] as const) {
      const browser = new TestBrowser();
      const authorization = await startLogin(h, browser);
      const callback = new URL('/auth/callback', h.appUrl);
      callback.searchParams.set('state', authorization.searchParams.get('state')!);
      callback.searchParams.set('iss', h.idporten.issuer);
      for (const [k, v] of Object.entries(params)) callback.searchParams.set(k, v);
      const { response, cookie } = await finishLogin(browser, callback);
      expect(response.status).toBe(status);
      expect(cookie).toBeUndefined();
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const html = await response.text();
      expect(html).toContain(`${h.appUrl}/auth/login`);
      expect(html).not.toMatch(/Error|\bat \S+\.ts/);
    }
  });

  it('refuses a returnTo that would leave the gateway, before anything reaches ID-porten', async () => {
    const before = await attemptCount();
    for (const returnTo of [
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      '/\t/evil.example',
      'graphql',
      'javascript:alert(1)',
    ]) {
      const url = new URL('/auth/login', h.appUrl);
      url.searchParams.set('returnTo', returnTo);
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status, returnTo).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
    expect(await attemptCount()).toBe(before);
  });

  it('sends the person to / after login when no returnTo was given', async () => {
    const { location } = await logIn(h, { pid: DEMO_PERSONS.kari.pid });
    expect(location).toBe('/');
  });
});

describe('gateway / session logging', () => {
  it('logs neither pids, codes, states, nonces, cookies nor tokens', async () => {
    const from = h.logs.length;
    const browser = new TestBrowser();
    const authorization = await startLogin(h, browser, '/after');
    const callback = await loginWithTestId(authorization, { pid: DEMO_PERSONS.hans.pid }, browser);
    const { cookie } = await finishLogin(browser, callback);
    const { body } = await whoami(h, cookie);
    h.clock.advance(ACCESS_TOKEN_SECONDS * 1000 + 1);
    expect((await whoami(h, cookie)).status).toBe(200);
    const id = body.principal!.sessionId;
    const [row] = await h.db.query<Record<string, string>>('select * from gateway.session where id = $1', [
      id,
    ]);
    const sealer = createSealer(ENCRYPTION_KEY);
    const tokens = (['access_token', 'refresh_token', 'id_token'] as const).map((field) =>
      sealer.open(row![`${field}_sealed`]!, `gateway.session:${id}:${field}`),
    );
    expect((await finishLogin(browser, callback)).response.status).toBe(400);
    const logout = await fetch(new URL('/auth/logout', h.appUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `fiks_session=${cookie}` },
      body: '{}',
    });
    expect(logout.status).toBe(200);

    const logged = h.logs.slice(from).join('');
    expect(logged).toContain('login refused');
    expect(logged).toContain(id);
    const secrets = [
      DEMO_PERSONS.hans.pid,
      callback.searchParams.get('code')!,
      authorization.searchParams.get('state')!,
      authorization.searchParams.get('nonce')!,
      cookie!,
      ...tokens,
    ];
    for (const secret of secrets) expect(logged).not.toContain(secret);
  });
});

describe('gateway / session login with a raised minimum level', () => {
  let strict: Harness;
  beforeAll(async () => {
    strict = await startHarness({ acrMinimum: 'idporten-loa-high' });
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it('asks ID-porten for the configured minimum and accepts a login at that level', async () => {
    const authorization = await startLogin(strict, new TestBrowser());
    expect(authorization.searchParams.get('acr_values')).toBe('idporten-loa-high');
    const { cookie } = await logIn(strict, { pid: DEMO_PERSONS.kari.pid, level: 'high' });
    expect((await whoami(strict, cookie)).body.principal).toMatchObject({ acr: 'idporten-loa-high' });
  });

  it('refuses a login below the minimum even when the browser lowered acr_values on its way to ID-porten', async () => {
    const browser = new TestBrowser();
    const authorization = await startLogin(strict, browser);
    authorization.searchParams.set('acr_values', 'idporten-loa-substantial');
    const callback = await loginWithTestId(
      authorization,
      { pid: DEMO_PERSONS.ola.pid, level: 'substantial' },
      browser,
    );
    const before = await countSessions(strict.db);
    const { response, cookie } = await finishLogin(browser, callback);
    expect(response.status).toBe(403);
    expect(cookie).toBeUndefined();
    expect(await response.text()).toContain('sikkerhetsnivå');
    expect(await countSessions(strict.db)).toBe(before);
  });
});
