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

/** The element a click at the centre of `selector` would reach (Playwright waits while something covers it). */
const ON_TOP_OF = (selector: string) => `(() => {
  const target = document.querySelector(${JSON.stringify(selector)});
  if (!target) return 'no such element';
  const box = target.getBoundingClientRect();
  const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  return top === target || target.contains(top) ? 'itself' : (top?.outerHTML.slice(0, 200) ?? 'nothing');
})()`;

/** What the page showed and did, for a failure's message: CI keeps only its log. Test data only (synthetic). */
async function pageState(page: Page, seen: { requests: string[]; console: string[] }): Promise<string> {
  const text = (selector: string) =>
    page
      .locator(selector)
      .first()
      .textContent({ timeout: 1_000 })
      .then((value) => (value ?? '').replace(/\u00a0/g, ' ').slice(0, 300))
      .catch((error: Error) => `(${error.message.split('\n')[0]})`);
  return [
    `operation editor: ${await text('.graphiql-query-editor .view-lines')}`,
    `result pane: ${await text('.result-window .view-lines')}`,
    `on top of the run button: ${await page.evaluate<string>(ON_TOP_OF('.graphiql-execute-button')).catch(String)}`,
    `requests since login: ${seen.requests.join(' | ') || 'none'}`,
    `console: ${seen.console.join(' | ') || 'nothing'}`,
  ].join('\n');
}

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
    const seen = { requests: [] as string[], console: [] as string[] };
    // Sent and answered apart: a request never answered shows as sent only.
    page.on('request', (request) =>
      seen.requests.push(
        `sent ${request.method()} ${new URL(request.url()).pathname} ${request.postData()?.slice(0, 60) ?? ''}`,
      ),
    );
    page.on('response', (response) =>
      seen.requests.push(`answered ${response.status()} ${new URL(response.url()).pathname}`),
    );
    page.on('requestfailed', (request) =>
      seen.requests.push(`failed ${new URL(request.url()).pathname} ${request.failure()?.errorText ?? ''}`),
    );
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        seen.console.push(message.text().slice(0, 200));
    });

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
    seen.requests.length = 0;

    await expect
      .poll(() => page.locator('#who').textContent(), PATIENCE)
      .toBe('Innlogget (idporten-loa-high)');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'fiks_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    await schemaLoaded;

    // The example operation in the editor, run with GraphiQL's own button, answered in its result pane. GraphiQL
    // mounts its Monaco editors once Monaco has loaded, which on a busy machine can be after the schema arrived; its
    // run() does nothing at all (no request, no message) while either editor is missing. So first the example must
    // show in the operation editor and the result editor must exist.
    await expect
      .poll(() => page.locator('.graphiql-query-editor .view-lines').textContent(), PATIENCE)
      .toContain('organization(orgnr:');
    await page.locator('.result-window .monaco-editor').waitFor(PATIENCE);
    const answered = page.waitForResponse(
      (response) =>
        response.url() === `${gateway}/graphql` &&
        response.request().postData()?.includes('rootResource') === true,
    );
    const response = await Promise.all([answered, page.click('.graphiql-execute-button', PATIENCE)]).then(
      ([reached]) => reached,
      async (error: Error) => {
        throw new Error(`${error.message.split('\n')[0]}\n${await pageState(page, seen)}`);
      },
    );
    const answer = (await response.json()) as { data?: { organization?: { name?: string } } };
    expect(answer.data?.organization?.name).toBe(DEMO_ORGS.fjordvik.name);
    await expect.poll(() => resultText(page), PATIENCE).toContain(`"name": "${DEMO_ORGS.fjordvik.name}"`);
    await page.screenshot({ path: EXPLORER_SCREENSHOT });

    // Monaco's three workers came from the gateway's own files (not a CDN, not a blob: URL).
    const assets = `${gateway}/explorer/assets/`;
    // Monaco starts each when a model of its language first needs it, which may be after the answer was shown.
    const workersStarted = () =>
      ['editor.worker.js', 'json.worker.js', 'graphql.worker.js'].filter((worker) =>
        requests.some((url) => url.startsWith(assets) && url.endsWith(`/${worker}`)),
      );
    await expect
      .poll(workersStarted, PATIENCE)
      .toEqual(['editor.worker.js', 'json.worker.js', 'graphql.worker.js']);
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
