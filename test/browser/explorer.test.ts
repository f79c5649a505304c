// The explorer in a real browser, as the README tells an administrator to open it: `/` leads to /explorer, the
// local ID-porten's test login, back to GraphiQL logged in, an operation run from the editor and its result shown,
// and logout at both ends. On the way the page must break none of its own CSP, start Monaco's workers from the
// gateway, and ask nothing of any other origin. Its screenshot is kept for CI at test-results/explorer.png.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const RESULTS = 'test-results';
const EXPLORER_SCREENSHOT = `${RESULTS}/explorer.png`;

/** What the page's CSP refused, recorded in the page itself (a console message could be worded otherwise). A string:
 * it runs in the browser, before the page's own scripts. */
const RECORD_VIOLATIONS = `
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) =>
    window.cspViolations.push(event.effectiveDirective + ' ' + event.blockedURI));
`;

const violations = (page: Page) => page.evaluate<string[]>('window.cspViolations ?? []');

/** The text Monaco shows in GraphiQL's result pane (only the lines it has rendered: the top of the answer), its
 * non-breaking spaces read as spaces. */
const resultText = async (page: Page) =>
  ((await page.locator('.result-window .view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ');

/** Long enough for the page (GraphiQL and Monaco, some megabytes) to load on a busy 2-core machine. */
const PATIENCE = { timeout: 15_000 };

describe('browser / the explorer', () => {
  let platform: TestPlatform;
  let browser: Browser;

  beforeAll(async () => {
    platform = await startTestPlatform();
    browser = await launchChromium();
    mkdirSync(RESULTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('logs Kari in at ID-porten, runs an operation in GraphiQL as her, and logs her out', async () => {
    const gateway = new URL(platform.gatewayUrl).origin;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript({ content: RECORD_VIOLATIONS });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));

    await page.goto(`${platform.gatewayUrl}/`);
    expect(page.url()).toBe(`${gateway}/explorer`);
    await expect.poll(() => page.locator('#who').textContent(), PATIENCE).toBe('Ikke innlogget');

    await page.click('#login');
    // Once logged in, GraphiQL asks for the schema by introspection (Kari administers Fjordvik, so she may).
    const schemaLoaded = page.waitForResponse(
      async (response) =>
        response.url() === `${gateway}/graphql` && (await response.text()).includes('"__schema"'),
    );
    // The local ID-porten's test login: pick a synthetic person and a level.
    await page.check(`input[name="pid"][value="${DEMO_PERSONS.kari.pid}"]`);
    await page.check('input[name="level"][value="high"]');
    await page.click('button[type="submit"]:has-text("Logg inn")');
    await page.waitForURL(`${gateway}/explorer`);
    requests.length = 0;

    await expect
      .poll(() => page.locator('#who').textContent(), PATIENCE)
      .toBe('Innlogget (idporten-loa-high)');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'fiks_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    await schemaLoaded;

    // The example operation in the editor, run with GraphiQL's own button, answered in its result pane.
    const answered = page.waitForResponse(
      (response) =>
        response.url() === `${gateway}/graphql` &&
        response.request().postData()?.includes('rootResource') === true,
    );
    await page.click('.graphiql-execute-button');
    const answer = (await (await answered).json()) as { data?: { organization?: { name?: string } } };
    expect(answer.data?.organization?.name).toBe(DEMO_ORGS.fjordvik.name);
    await expect.poll(() => resultText(page), PATIENCE).toContain(`"name": "${DEMO_ORGS.fjordvik.name}"`);
    await page.screenshot({ path: EXPLORER_SCREENSHOT });

    // Monaco's three workers came from the gateway's own files (not a CDN, not a blob: URL).
    const assets = `${gateway}/explorer/assets/`;
    for (const worker of ['editor.worker.js', 'json.worker.js', 'graphql.worker.js'])
      expect(requests.some((url) => url.startsWith(assets) && url.endsWith(`/${worker}`))).toBe(true);
    expect(requests.filter((url) => new URL(url).origin !== gateway)).toEqual([]);
    expect(await violations(page)).toEqual([]);

    await page.click('#logout');
    // ID-porten asks to confirm the logout, then sends the browser back to `/`, which leads to the explorer.
    await page.click('button[name="logout"]');
    await page.waitForURL(`${gateway}/explorer`);
    await expect.poll(() => page.locator('#who').textContent(), PATIENCE).toBe('Ikke innlogget');
    expect(await violations(page)).toEqual([]);
    expect(errors).toEqual([]);

    // The policy is in force (and the recorder hears it): a <style> in the markup, without the nonce, is refused.
    await page.evaluate(
      `document.body.insertAdjacentHTML('beforeend', '<style>body { color: red }</style>')`,
    );
    await expect.poll(() => violations(page), PATIENCE).toEqual(['style-src-elem inline']);
  });
});
