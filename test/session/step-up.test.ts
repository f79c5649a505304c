// Step-up login (issue #9 item 7): /auth/login?acr=<level> asks ID-porten for a level above the configured minimum
// (acr_values, FIKS-FACTS §3), and the callback opens a session only when the login meets the level asked for — the
// client MUST validate acr, whatever the browser did to acr_values on the way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { loginWithTestId, TestBrowser } from '../../simulators/idporten-browser.ts';
import type { Level } from '../../simulators/idporten-acr.ts';
import { countSessions, finishLogin, startHarness, whoami, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** The gateway's answer to /auth/login with these query parameters. */
async function login(browser: TestBrowser, params: [string, string][]): Promise<Response> {
  const url = new URL('/auth/login', h.appUrl);
  for (const [name, value] of params) url.searchParams.append(name, value);
  return browser.request(url);
}

async function attemptCount(): Promise<number> {
  const [row] = await h.db.query<{ n: number }>('select count(*)::int as n from gateway.login_attempt');
  return row!.n;
}

/** Starts a login asking for `acr`, lets ID-porten see `acrValues` instead of what the gateway asked for, logs in
 * at `level`; answers the callback. */
async function loginAt(acr: string, acrValues: string | null, level: Level) {
  const browser = new TestBrowser();
  const start = await login(browser, [['acr', acr]]);
  expect(start.status).toBe(303);
  const authorization = new URL(start.headers.get('location')!);
  if (acrValues !== null) authorization.searchParams.set('acr_values', acrValues);
  const callback = await loginWithTestId(authorization, { pid: DEMO_PERSONS.ola.pid, level }, browser);
  return finishLogin(browser, callback);
}

describe('gateway / session step-up login', () => {
  it('asks ID-porten for the level named in acr, never below the minimum', async () => {
    for (const [acr, asked] of [
      ['idporten-loa-high', 'idporten-loa-high'],
      ['idporten-loa-substantial', 'idporten-loa-substantial'],
      ['idporten-loa-low', 'idporten-loa-substantial'],
    ]) {
      const response = await login(new TestBrowser(), [['acr', acr!]]);
      expect(response.status, acr).toBe(303);
      expect(new URL(response.headers.get('location')!).searchParams.get('acr_values'), acr).toBe(asked);
    }
  });

  it('opens a high session after a high login asked for with acr', async () => {
    const { response, cookie } = await loginAt('idporten-loa-high', null, 'high');
    expect(response.status).toBe(303);
    expect((await whoami(h, cookie)).body.principal).toMatchObject({ acr: 'idporten-loa-high' });
  });

  it('refuses a login below the level acr asked for, even when the browser lowered acr_values', async () => {
    const before = await countSessions(h.db);
    const { response, cookie } = await loginAt(
      'idporten-loa-high',
      'idporten-loa-substantial',
      'substantial',
    );
    expect(response.status).toBe(403);
    expect(cookie).toBeUndefined();
    expect(await response.text()).toContain('sikkerhetsnivå');
    expect(await countSessions(h.db)).toBe(before);
  });

  it('refuses an unknown or repeated acr before anything reaches ID-porten', async () => {
    const before = await attemptCount();
    for (const params of [
      [['acr', 'Level4']],
      [['acr', 'idporten-loa-highest']],
      [['acr', '']],
      [
        ['acr', 'idporten-loa-high'],
        ['acr', 'idporten-loa-high'],
      ],
    ] as [string, string][][]) {
      const response = await login(new TestBrowser(), params);
      expect(response.status, JSON.stringify(params)).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
    expect(await attemptCount()).toBe(before);
  });
});
