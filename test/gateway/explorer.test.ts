// The explorer as served (issue #12 item 4): `/` leads to /explorer; the page and every file of its bundle come from
// the gateway's own origin and name no other (it must work with no internet); the page's CSP is strict, with a fresh
// nonce each time; only files of the bundle are served; and GET /auth/me tells the page who is logged in, with
// nothing more than the level of the login and the organisation acted for.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { ensureExplorerBundle, type ExplorerBundle } from '../../gateway/explorer/bundle.ts';
import { browserLogin } from '../support/identity.ts';
import { asPerson } from '../privileges/support.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

/** Hosts that serve npm packages to browsers: a bundle that loads from one needs the internet (and trusts it). */
const CDNS =
  /esm\.sh|unpkg\.com|jsdelivr\.net|cdnjs\.cloudflare\.com|skypack\.dev|jspm\.io|googleapis\.com|gstatic\.com/;
/** Ways a script or style sheet loads something from a URL it names: import, import(), a worker, a fetch, url(). */
const REMOTE_LOADS = [
  /\bimport\s*\(\s*["'`]https?:/,
  /\bfrom\s*["'`]https?:/,
  /\bimport\s*["'`]https?:/,
  /\bimportScripts\s*\(\s*["'`]https?:/,
  /\bnew\s+(?:Shared)?Worker\s*\(\s*["'`]https?:/,
  /\bfetch\s*\(\s*["'`]https?:/,
  /\burl\(\s*["']?https?:/,
  /@import\s+(?:url\(\s*)?["']?https?:/,
  /\b(?:src|href)\s*=\s*["']?https?:/,
];

function cspDirectives(header: string | null): Map<string, string[]> {
  return new Map(
    (header ?? '')
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('gateway / the explorer as served', () => {
  let platform: TestPlatform;
  let bundle: ExplorerBundle;
  let origin: string;

  beforeAll(async () => {
    platform = await startTestPlatform();
    origin = new URL(platform.gatewayUrl).origin;
    bundle = await ensureExplorerBundle();
  });
  afterAll(() => platform.stop());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${platform.gatewayUrl}${path}`, { headers, redirect: 'manual' });

  it('leads from / to /explorer', async () => {
    const response = await get('/');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/explorer');
  });

  it('serves a page that names nothing but files of its own bundle on the gateway', async () => {
    const response = await get('/explorer');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    const references = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]!);
    expect(references.length).toBeGreaterThanOrEqual(2);
    for (const reference of references) {
      if (reference === 'data:,') continue; // the empty favicon, so the browser asks no /favicon.ico
      expect(reference).toMatch(new RegExp(`^/explorer/assets/${bundle.fingerprint}/[\\w.-]+$`));
      const asset = await get(reference);
      expect(asset.status, reference).toBe(200);
    }
    expect(html).toContain('type="module"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/<style|\bstyle="/); // no inline style
  });

  it('loads nothing from another origin in any file of its bundle', () => {
    const files = readdirSync(bundle.dir).filter((name) => /\.(js|css|html)$/.test(name));
    expect(files).toEqual(expect.arrayContaining(['explorer.js', 'editor.worker.js', 'graphql.worker.js']));
    for (const file of files) {
      const text = readFileSync(join(bundle.dir, file), 'utf8');
      expect(text, file).not.toMatch(CDNS);
      for (const load of REMOTE_LOADS) expect(text, `${file}: ${String(load)}`).not.toMatch(load);
    }
  });

  it('finds a remote load when there is one (the scan is not vacuous)', () => {
    const planted = [
      'await import("https://esm.sh/react")',
      "new Worker('https://cdn.jsdelivr.net/npm/monaco-editor/worker.js')",
      '@font-face{src:url(https://fonts.gstatic.com/x.woff2)}',
    ];
    for (const text of planted)
      expect(REMOTE_LOADS.some((load) => load.test(text)) || CDNS.test(text), text).toBe(true);
  });

  it('sets a strict CSP with a fresh nonce on each page, the same nonce on its script', async () => {
    const [first, second] = await Promise.all([get('/explorer'), get('/explorer')]);
    const policy = cspDirectives(first.headers.get('content-security-policy'));
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy.get('script-src')?.join(' ') ?? '')?.[1];
    expect(nonce).toBeDefined();
    expect(nonce!.length).toBeGreaterThanOrEqual(22); // 128 bits in base64
    expect(second.headers.get('content-security-policy')).not.toContain(nonce!);
    expect(await first.text()).toContain(`nonce="${nonce}"`);

    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(policy.get('style-src-elem')).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(policy.get('worker-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    for (const values of policy.values()) {
      expect(values).not.toContain("'unsafe-eval'");
      expect(values).not.toContain('blob:');
      expect(values.filter((value) => /^https?:|^\*$/.test(value))).toEqual([]);
    }
    // Inline <script> and <style> need the nonce; only style attributes are let through (see gateway/explorer/page.ts).
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
    expect(policy.get('style-src-elem')).not.toContain("'unsafe-inline'");
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves the files of its bundle with their types, and no other file', async () => {
    const assets = `/explorer/assets/${bundle.fingerprint}`;
    const script = await get(`${assets}/explorer.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect(script.headers.get('content-security-policy')).toContain("default-src 'none'");
    const styles = await get(`${assets}/explorer.css`);
    expect(styles.headers.get('content-type')).toBe('text/css; charset=utf-8');
    // Gzipped when the browser takes it (fetch decompresses: the same text either way), plain when it does not.
    const plain = await get(`${assets}/explorer.js`, { 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(script.headers.get('content-encoding')).toBe('gzip');
    expect(script.headers.get('vary')).toBe('accept-encoding');
    expect(await script.text()).toBe(await plain.text());
    expect(
      (await get(`${assets}/explorer.js`, { 'accept-encoding': 'gzip;q=0' })).headers.get('content-encoding'),
    ).toBeNull();
    for (const path of [
      `${assets}/nothing.js`,
      `${assets}/explorer.js.gz`,
      `/explorer/assets/0000000000000000/explorer.js`,
      `${assets}/..%2F..%2Fpackage.json`,
      `${assets}/%2e%2e`,
      `/explorer/assets/${bundle.fingerprint}/../../../package.json`,
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
    }
  });

  describe('GET /auth/me', () => {
    it('says nobody is logged in without a session', async () => {
      const response = await get('/auth/me');
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ loggedIn: false });
    });

    it('says no more than the level of a logged-in person', async () => {
      const { cookie } = await browserLogin(platform, DEMO_PERSONS.kari.pid, 'high');
      const response = await get('/auth/me', { cookie });
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ loggedIn: true, acr: 'idporten-loa-high' });
      expect(text).not.toContain(DEMO_PERSONS.kari.pid);
    });

    it('names the organisation acted for and the roles there, checked with Altinn', async () => {
      const { cookie } = await browserLogin(platform, DEMO_PERSONS.liv.pid);
      const acting = await get('/auth/me', { cookie, 'fiks-act-for': DEMO_ORGS.vendor.orgnr });
      const text = await acting.text();
      expect(JSON.parse(text)).toEqual({
        loggedIn: true,
        acr: 'idporten-loa-substantial',
        actingFor: { orgnr: DEMO_ORGS.vendor.orgnr, roles: ['A0236', 'DAGL'] },
      });
      expect(text).not.toContain(DEMO_PERSONS.liv.pid);
      const refused = await get('/auth/me', { cookie, 'fiks-act-for': DEMO_ORGS.fjordvik.orgnr });
      expect(refused.status).toBe(403);
      const body = (await refused.json()) as {
        errors: { extensions: { code: string; requestId: string } }[];
      };
      expect(body.errors[0]?.extensions.code).toBe('FORBIDDEN');
      expect(body.errors[0]?.extensions.requestId).toBeTruthy();
    });

    it('treats an ended session as no session', async () => {
      const { cookie } = await browserLogin(platform, DEMO_PERSONS.per.pid);
      const logout = await fetch(`${platform.gatewayUrl}/auth/logout`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', origin },
        body: '{}',
      });
      expect(logout.status).toBe(200);
      expect(await (await get('/auth/me', { cookie })).json()).toEqual({ loggedIn: false });
    });

    it('describes the browser session only, not a bearer token', async () => {
      const response = await get('/auth/me', await asPerson(platform, DEMO_PERSONS.kari.pid));
      expect(response.status).toBe(400);
      expect(await response.text()).not.toContain(DEMO_PERSONS.kari.pid);
    });
  });
});
