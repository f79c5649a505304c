// A person logs in through the gateway in a real browser, as the README tells a newcomer to: the query page, the
// local ID-porten's test login, back to the page logged in, an operation run, and logout at both ends.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = 'test-results/browser';

describe('browser / login through the gateway', () => {
  let platform: TestPlatform;
  let browser: Browser;

  beforeAll(async () => {
    platform = await startTestPlatform();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // As root in CI; and no background traffic: the machine has no network beyond loopback.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('logs Kari in at ID-porten, runs the example operation as her, and logs her out', async () => {
    const page = await browser.newPage();
    await page.goto(`${platform.gatewayUrl}/`);
    await expect.poll(() => page.locator('#who').textContent()).toBe('Ikke innlogget');

    await page.click('#login');
    // The local ID-porten's test login: pick a synthetic person and a level.
    await page.check(`input[name="pid"][value="${DEMO_PERSONS.kari.pid}"]`);
    await page.check('input[name="level"][value="high"]');
    await page.click('button[type="submit"]:has-text("Logg inn")');

    await page.waitForURL(`${platform.gatewayUrl}/`);
    await expect.poll(() => page.locator('#who').textContent()).toBe('Innlogget (idporten-loa-high)');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'fiks_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');

    await page.click('#run');
    await expect.poll(() => page.locator('#result').textContent()).toContain('"name": "Fjordvik kommune"');
    await page.screenshot({ path: `${SCREENSHOTS}/logged-in.png`, fullPage: true });

    await page.click('#logout');
    // ID-porten asks to confirm the logout, then sends the browser back to the page.
    await page.click('button[name="logout"]');
    await page.waitForURL(`${platform.gatewayUrl}/`);
    await expect.poll(() => page.locator('#who').textContent()).toBe('Ikke innlogget');
  });
});
