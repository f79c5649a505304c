// Browser logins and logouts through the gateway, and failed logins, as the audit log holds them: the person as actor,
// the level, and never a token, cookie, session id or ID-porten sid. A login the log cannot hold is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { loginWithTestId, TestBrowser } from '../../simulators/idporten-browser.ts';
import { browserLogin } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import {
  everyEventAsText,
  startAuditedGateway,
  storedEvents,
  type AuditedGateway,
} from './security-events-harness.ts';

const KARI = DEMO_PERSONS.kari.pid;
const SIRI = DEMO_PERSONS.siri.pid;

describe('audit / security events / login', () => {
  let platform: TestPlatform;
  /** A second gateway, logging in no one (ID-porten knows only the platform's callback), whose counts we flush. */
  let counting: AuditedGateway;
  /** Cookies, session ids and sids seen in this file: none may appear in any stored event. */
  const secrets: string[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform();
    counting = await startAuditedGateway(platform, { LOGIN_RATE_BURST: '1', LOGIN_RATE_PER_MINUTE: '1' });
    secrets.push(platform.config.idporten.clientSecret!);
  });
  afterAll(async () => {
    await counting?.stop();
    await platform?.stop();
  });

  async function sessionsOf(): Promise<{ id: string; sid: string | null }[]> {
    return platform.db.query('select id, sid from gateway.session');
  }

  async function logout(cookie: string) {
    return fetch(`${platform.gatewayUrl}/auth/logout`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
  }

  it('records a login for the person, at the level they logged in with, and a logout', async () => {
    const { cookie } = await browserLogin(platform, KARI);
    const [session] = await sessionsOf();
    secrets.push(cookie.split('=')[1]!, session!.id, session!.sid!);
    const [login] = await storedEvents(platform.db, 'LOGIN');
    expect(login).toEqual({
      actor_type: 'PERSON',
      actor_id: KARI,
      on_behalf_of: null,
      orgnr: null,
      service: 'gateway',
      action: 'LOGIN',
      data_subject: null,
      request_id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      payload: { acr: 'idporten-loa-substantial', source: '127.0.0.1' },
    });

    expect((await logout(cookie)).status).toBe(200);
    expect(await storedEvents(platform.db, 'LOGOUT')).toEqual([
      expect.objectContaining({
        actor_type: 'PERSON',
        actor_id: KARI,
        service: 'gateway',
        payload: { source: '127.0.0.1', via: 'gateway' },
      }),
    ]);
  });

  it('records a logout ID-porten announces on the front channel', async () => {
    const { cookie } = await browserLogin(platform, SIRI, 'high');
    const [session] = await sessionsOf();
    secrets.push(cookie.split('=')[1]!, session!.id, session!.sid!);
    const url = new URL('/auth/frontchannel-logout', platform.gatewayUrl);
    url.searchParams.set('iss', platform.config.idporten.issuer!);
    url.searchParams.set('sid', session!.sid!);
    expect((await fetch(url)).status).toBe(200);
    expect((await storedEvents(platform.db, 'LOGIN')).at(-1)).toMatchObject({
      actor_id: SIRI,
      payload: { acr: 'idporten-loa-high' },
    });
    expect((await storedEvents(platform.db, 'LOGOUT')).at(-1)).toMatchObject({
      actor_type: 'PERSON',
      actor_id: SIRI,
      payload: { via: 'idporten' },
    });
  });

  it('refuses a login the audit log cannot hold: no session, no cookie', async () => {
    const before = (await storedEvents(platform.db, 'LOGIN')).length;
    await platform.db.query('alter function audit.append_events(jsonb) rename to append_events_off');
    try {
      const browser = new TestBrowser();
      const start = await browser.request(new URL('/auth/login', platform.gatewayUrl));
      const callback = await loginWithTestId(start.headers.get('location')!, { pid: KARI }, browser);
      const landed = await browser.request(callback);
      expect(landed.status).toBe(503);
      expect(landed.headers.getSetCookie().some((line) => line.startsWith('fiks_session='))).toBe(false);
      expect(await sessionsOf()).toEqual([]);
    } finally {
      await platform.db.query('alter function audit.append_events_off(jsonb) rename to append_events');
    }
    expect(await storedEvents(platform.db, 'LOGIN')).toHaveLength(before);
  });

  it('counts failed logins per source: a forged state, an ID-porten error, the login rate limit', async () => {
    const browser = new TestBrowser();
    const callback = new URL('/auth/callback', counting.url);
    expect((await browser.request(callback)).status).toBe(400); // no state
    callback.searchParams.set('state', 'forged-state');
    expect((await browser.request(callback)).status).toBe(400); // unknown state
    // A real attempt (the one login the rate allows), cancelled at ID-porten.
    const start = await browser.request(new URL('/auth/login', counting.url));
    expect(start.status).toBe(303);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    secrets.push(state);
    const cancelled = new URL('/auth/callback', counting.url);
    cancelled.searchParams.set('state', state);
    cancelled.searchParams.set('error', 'access_denied');
    expect((await browser.request(cancelled)).status).toBe(401);
    expect((await browser.request(new URL('/auth/login', counting.url))).status).toBe(429);

    await counting.securityEvents.flush({ all: true });
    expect(await storedEvents(platform.db, 'LOGIN_FAILED')).toEqual([
      expect.objectContaining({
        actor_type: 'ANONYMOUS',
        actor_id: '-',
        orgnr: null,
        service: 'gateway',
        request_id: null,
        payload: expect.objectContaining({
          source: '127.0.0.1',
          count: 4,
          reasons: ['idporten_error', 'login_rate', 'no_state', 'unknown_state'],
        }) as unknown,
      }),
    ]);
  });

  it('stores no cookie, session id, sid, state or client secret in any event', async () => {
    const text = await everyEventAsText(platform.db);
    expect(text).toContain('LOGOUT'); // the search is over the events written above
    expect(secrets.length).toBeGreaterThan(6);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
