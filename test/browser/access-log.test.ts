// The citizen's access log in a real browser (issue #10 item 10): Ola logs in at ID-porten, sees that Fjordvik's
// administrator read his document, and his browser checks the event's inclusion proof against the signed checkpoint
// with WebCrypto. Then a database superuser changes the event, and forges a checkpoint: the page says FAILED.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DOCUMENTS, DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { runCheckpoint } from '../../subgraphs/audit/checkpointer.ts';
import { auditKeyOf } from '../../subgraphs/audit/signing-key.ts';
import { asPerson, dataOf } from '../privileges/support.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const SCREENSHOTS = 'test-results/browser';

/**
 * The page's own checker (audit-proof.js), run in the page on the real proof and entry, each altered one way: what
 * it answers for each. A string, as the module exists only in the browser.
 */
const CHECK_ALTERED = (id: string, pid: string) => `(async () => {
  const { checkProof, importLogKey } = await import('/audit-proof.js');
  const ask = async (query, variables) => (await (await fetch('/graphql', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }),
  })).json()).data;
  const { auditLogKey } = await ask('{ auditLogKey { keyId publicKey } }', {});
  const { auditEventProof: proof } = await ask(\`query P($id: ID!) { auditEventProof(id: $id) {
    canonicalEvent leafIndex auditPath checkpoint { treeSize rootHash keyId signature signedContent }
    dataSubject payload } }\`, { id: ${JSON.stringify(id)} });
  const { myAccessLog } = await ask(\`{ myAccessLog { entries { eventId occurredAt organization { orgnr }
    actorType service action resourceType resourceId fields legalBasis } } }\`, {});
  const entry = myAccessLog.entries.find((e) => e.eventId === ${JSON.stringify(id)});
  const key = await importLogKey(auditLogKey);
  const later = new Date(Date.parse(entry.occurredAt) + 1000).toISOString();
  const cases = {
    unchanged: [entry, proof, ${JSON.stringify(pid)}],
    legalBasis: [{ ...entry, legalBasis: 'barnevernsloven § 4-1' }, proof, ${JSON.stringify(pid)}],
    organisation: [{ ...entry, organization: { orgnr: '921000006' } }, proof, ${JSON.stringify(pid)}],
    fields: [{ ...entry, fields: [...entry.fields, 'content'] }, proof, ${JSON.stringify(pid)}],
    time: [{ ...entry, occurredAt: later }, proof, ${JSON.stringify(pid)}],
    someoneElse: [entry, proof, '15825831115'],
    openedOtherwise: [entry, { ...proof, dataSubject: { ...proof.dataSubject, value: '"15825831115"' } }, '15825831115'],
  };
  const answers = {};
  for (const [name, [e, p, who]] of Object.entries(cases))
    answers[name] = await checkProof(p, e, who, key).then(() => 'ok', (error) => error.message);
  return answers;
})()`;

describe('browser / the citizen’s access log, verified in the browser', () => {
  let platform: TestPlatform;
  let browser: Browser;

  const checkpoint = async () =>
    runCheckpoint(platform.db, {
      key: await auditKeyOf(platform.config.auditLog),
      witnessFile: platform.config.auditLog.witnessFile,
    });

  /** Fjordvik's administrator reads whom Ola's document is for (not its title, which is for Ola alone) through the
   * gateway; answers the event about Ola. */
  async function kariReadsOlasDocument(): Promise<{ id: string; legalBasis: string }> {
    const response = await platform.graphql(
      `{ document(id: "${DEMO_DOCUMENTS.kindergartenDecision}") { exposedTo { value } } }`,
      {},
      await asPerson(platform, DEMO_PERSONS.kari.pid),
    );
    dataOf(response);
    const [event] = await platform.db.query<{ id: string; legal_basis: string }>(
      'select id, legal_basis from audit.event where request_id = $1 and data_subject = $2',
      [response.headers.get('x-request-id'), DEMO_PERSONS.ola.pid],
    );
    return { id: event!.id, legalBasis: event!.legal_basis };
  }

  const statusOf = (page: Page, id: string) =>
    page.locator(`tr[data-event-id="${id}"] td.status`).textContent();

  beforeAll(async () => {
    // The timer never fires here: the test makes each checkpoint itself.
    platform = await startTestPlatform({ AUDIT_CHECKPOINT_INTERVAL_MS: '3600000' });
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('shows Ola who read his data, verifies each event, and says FAILED once the database is changed', async () => {
    const read = await kariReadsOlasDocument();
    const page = await browser.newPage();
    // An uncaught error in the page's own script (the 401 of the anonymous `me`, a favicon's 404 are not).
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(`${platform.gatewayUrl}/access-log`);
    await expect.poll(() => page.locator('#who').textContent()).toBe('Ikke innlogget');
    await page.click('#login a');
    await page.check(`input[name="pid"][value="${DEMO_PERSONS.ola.pid}"]`);
    await page.check('input[name="level"][value="high"]');
    await page.click('button[type="submit"]:has-text("Logg inn")');
    await page.waitForURL(`${platform.gatewayUrl}/access-log`);

    // Before a checkpoint the event is listed but has no proof yet.
    const row = page.locator(`tr[data-event-id="${read.id}"]`);
    await expect.poll(() => statusOf(page, read.id)).toBe('not yet in a signed checkpoint');
    const text = await row.textContent();
    expect(text).toContain(DEMO_ORGS.fjordvik.name);
    expect(text).toContain(read.legalBasis);
    expect(text).toContain('Document');
    expect(text).not.toContain(DEMO_PERSONS.kari.pid);

    expect(await checkpoint()).not.toBeNull();
    await page.reload();
    await expect.poll(() => statusOf(page, read.id)).toBe('verified');
    // Every event listed (any other about Ola too) is in the same checkpoint and verifies.
    const statuses = await page.locator('td.status').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('td.status').allTextContents())
      .toEqual(statuses.map(() => 'verified'));
    await page.screenshot({ path: `${SCREENSHOTS}/access-log-verified.png`, fullPage: true });

    // What the page shows must be what the proven event says: each field altered alone is caught.
    expect(await page.evaluate(CHECK_ALTERED(read.id, DEMO_PERSONS.ola.pid))).toEqual({
      unchanged: 'ok',
      legalBasis: 'the legalBasis shown is not the event’s',
      organisation: 'the organisation shown is not the event’s',
      fields: 'what was accessed, as shown, is not the event’s',
      time: 'the time shown is not the event’s',
      someoneElse: 'the event is not about you',
      openedOtherwise: 'dataSubject does not match its commitment in the event',
    });

    // A superuser rewrites the legal basis: the page shows the new text, and that it is not what the log signed.
    await platform.db.query(`update audit.event set legal_basis = 'ingen' where id = $1`, [read.id]);
    await page.reload();
    await expect
      .poll(() => statusOf(page, read.id))
      .toBe('FAILED: the event is not in the signed log (its hash does not lead to the checkpoint’s root)');
    expect(await row.locator('td').nth(4).textContent()).toBe('ingen');
    await page.screenshot({ path: `${SCREENSHOTS}/access-log-tampered.png`, fullPage: true });

    // Put back, it verifies again: the FAILED was the change and nothing else.
    await platform.db.query('update audit.event set legal_basis = $2 where id = $1', [
      read.id,
      read.legalBasis,
    ]);
    await page.reload();
    await expect.poll(() => statusOf(page, read.id)).toBe('verified');

    // A forged checkpoint root (without the key) fails every row on its signature.
    await platform.db.query(
      `update audit.checkpoint set root_hash = decode(repeat('ab', 32), 'hex')
        where tree_size = (select max(tree_size) from audit.checkpoint)`,
    );
    await page.reload();
    await expect.poll(() => statusOf(page, read.id)).toBe('FAILED: the checkpoint signature is not valid');
    expect(errors).toEqual([]);
  });
});
