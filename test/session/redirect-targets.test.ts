// #9 item 6: every redirect target the gateway builds from input is checked on its final, normalised form. A
// returnTo that looks like a path before normalisation ("/..//evil.example") must not become a protocol-relative
// or absolute URL after it. Each case runs the whole login round trip and judges the Location the browser follows.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { parseReturnTo } from '../../gateway/session/http.ts';
import { loginWithTestId, TestBrowser } from '../../simulators/idporten-browser.ts';
import { finishLogin, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** Spellings of "somewhere else" a browser might follow: traversal, encodings, lookalikes, other schemes. */
const FAMILY = [
  '/..//evil.example',
  '/.//evil.example',
  '/a/..//evil.example/x',
  '/%2e%2e//evil.example',
  '/.%2E//evil.example',
  '/%2e//evil.example',
  '/./\\evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\\/evil.example',
  '%2F%2Fevil.example',
  '/%2F%2Fevil.example',
  '/%252F%252Fevil.example',
  '%252F%252Fevil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '\t//evil.example',
  ' //evil.example',
  '／／evil.example',
  '/／evil.example',
  '⁄⁄evil.example',
  '/⁄evil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'https://evil.example/',
  'http://evil.example/',
  '//evil.example/',
  '///evil.example',
  '//gateway@evil.example',
  '/@evil.example',
  'http://127.0.0.1:1/',
  'https://127.0.0.1/',
  '/?next=//evil.example#//evil.example',
];

/** The gateway's answer to a login started with this returnTo, followed through ID-porten to the final redirect. */
async function finalLocation(returnTo: string): Promise<{ refused: true } | { location: string }> {
  const browser = new TestBrowser();
  const url = new URL('/auth/login', h.appUrl);
  url.searchParams.set('returnTo', returnTo);
  const start = await browser.request(url);
  if (start.status === 400) {
    expect(start.headers.get('location'), JSON.stringify(returnTo)).toBeNull();
    return { refused: true };
  }
  expect(start.status, JSON.stringify(returnTo)).toBe(303);
  const callback = await loginWithTestId(
    start.headers.get('location')!,
    { pid: DEMO_PERSONS.ola.pid },
    browser,
  );
  const { response } = await finishLogin(browser, callback);
  expect(response.status, JSON.stringify(returnTo)).toBe(303);
  return { location: response.headers.get('location')! };
}

/** Where a browser goes from a Location header received at the callback (WHATWG URL, as browsers parse it). */
function expectSameOriginPath(location: string, what: string) {
  const origin = new URL(h.appUrl).origin;
  const landed = new URL(location, `${h.appUrl}/auth/callback`);
  expect(landed.origin, what).toBe(origin);
  // A path, not a URL, and already in normal form: the browser has nothing left to reinterpret.
  expect(location, what).toMatch(/^\/(?![/\\])/);
  expect(`${landed.pathname}${landed.search}${landed.hash}`, what).toBe(location);
}

describe('gateway / session redirect targets', () => {
  it('lands every spelling of another site on a path of the gateway, after the whole login round trip', async () => {
    let followed = 0;
    for (const returnTo of FAMILY) {
      const outcome = await finalLocation(returnTo);
      if ('location' in outcome) {
        followed += 1;
        expectSameOriginPath(outcome.location, JSON.stringify(returnTo));
      }
    }
    // The family must exercise the round trip, not only the early refusal.
    expect(followed).toBeGreaterThan(5);
  });

  it('keeps a same-origin returnTo in its normalised form', async () => {
    expect(await finalLocation('/graphql?x=1#top')).toEqual({ location: '/graphql?x=1#top' });
    expect(await finalLocation('/a/./b/../c')).toEqual({ location: '/a/c' });
    expect(await finalLocation('/ø')).toEqual({ location: '/%C3%B8' });
  });

  it('checks the stored target again at the callback, so an attempt stored before a fix cannot leave the origin', async () => {
    for (const stored of [
      '//evil.example/',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
    ]) {
      const browser = new TestBrowser();
      const start = await browser.request(new URL('/auth/login', h.appUrl));
      const authorization = new URL(start.headers.get('location')!);
      await h.db.query('update gateway.login_attempt set return_to = $1 where state = $2', [
        stored,
        authorization.searchParams.get('state'),
      ]);
      const callback = await loginWithTestId(authorization, { pid: DEMO_PERSONS.ola.pid }, browser);
      const { response } = await finishLogin(browser, callback);
      expect(response.status).toBe(303);
      expect(response.headers.get('location'), stored).toBe('/');
    }
  });

  it('answers any returnTo built from dangerous pieces with null or a same-origin path in normal form', () => {
    const piece = fc.constantFrom(
      ...['/', '\\', '.', '..', '%2e', '%2E', '%2f', '%2F', '%252f', '%5c', '\t', '\n', '\r', ' ', '@', ':'],
      ...['?', '#', '／', '⁄', '＼', 'evil.example', 'javascript:', 'http:', 'a'],
    );
    // Free-form strings of those pieces, and the shape that breaks a check made before normalisation:
    // a path, dot segments (plain or encoded), then something that reads as "//host".
    const freeForm = fc.array(piece, { minLength: 1, maxLength: 8 }).map((p) => p.join(''));
    const dotted = fc
      .tuple(
        fc.constantFrom('/', '/a/', '', '\\', '／'),
        fc.array(fc.constantFrom('.', '..', '%2e', '%2E%2e', '.%2e', 'a/..'), { maxLength: 3 }),
        fc.constantFrom('/', '//', '/\\', '\\/', '/\t/', '/\n/', '／', '/%2f'),
        fc.constantFrom('evil.example', 'gateway@evil.example', ''),
        fc.constantFrom('', '/x', '?a=//b', '#//c'),
      )
      .map(
        ([lead, dots, slash, host, tail]) =>
          `${lead}${dots.map((d) => `${d}/`).join('')}${slash}${host}${tail}`,
      );
    const origin = 'https://gateway.example:8443';
    fc.assert(
      fc.property(fc.oneof(freeForm, dotted), (input) => {
        const output = parseReturnTo(input, origin);
        if (output === null) return;
        const landed = new URL(output, `${origin}/prefix/auth/callback`);
        expect(landed.origin, JSON.stringify(input)).toBe(origin);
        expect(output, JSON.stringify(input)).toMatch(/^\/(?![/\\])/);
        expect(parseReturnTo(output, origin), JSON.stringify(input)).toBe(output);
      }),
      { numRuns: 3000 },
    );
  });
});
