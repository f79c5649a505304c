// `npm run audit:verify` (issue #10 item 7) run as an operator runs it, against a log it did not write: exit 0 and
// "intact" for the log as written, exit 1 naming the changed event after a superuser changed a row, exit 2 when it
// has no key to verify with. It prints ids and indices, never an event's content.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { openDatabase } from '../../db/database.ts';
import { runEntryPoint } from '../support/child.ts';
import { openTestLog, type TestLog } from './tamper-log.ts';

describe('audit / npm run audit:verify', { timeout: 120_000 }, () => {
  let folder: string;
  let log: TestLog;
  let ids: string[];
  let env: Record<string, string>;

  async function verifyCommand(extra: Record<string, string> = {}) {
    // The embedded database is one process's at a time: the test's is closed while the command runs.
    if (log.target.kind === 'pglite') await log.db.close();
    const child = runEntryPoint('bin/audit-verify.ts', [], { ...env, ...extra });
    const code = await child.exited;
    if (log.target.kind === 'pglite') log.db = await openDatabase(log.target);
    return { code, output: child.output() };
  }

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'fiks-audit-verify-'));
    log = await openTestLog({ pgliteDir: join(folder, 'pglite') });
    ids = await log.appendEach(3);
    env = {
      ...(log.target.kind === 'postgres' ? { DATABASE_URL: log.target.url } : {}),
      PGLITE_DIR: join(folder, 'pglite'),
      AUDIT_SIGNING_KEY: JSON.stringify(log.key.privateKey.export({ format: 'jwk' })),
      AUDIT_WITNESS_FILE: log.witnessFile,
      SEED_DEMO_DATA: 'false',
    };
  });
  afterAll(async () => {
    await log.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('exits 0 for the log as it was written', async () => {
    const { code, output } = await verifyCommand();
    expect(output).toContain('intact');
    expect(output).toContain('3 leaves, 3 checkpoints');
    expect(code).toBe(0);
  });

  it('exits 1 and names the event a superuser changed, without printing its content', async () => {
    await log.db.query(`update audit.event set data_subject = $2 where id = $1`, [
      ids[1],
      DEMO_PERSONS.liv.pid,
    ]);
    const { code, output } = await verifyCommand();
    expect(output).toContain(`FIRST MISMATCH: leaf 1, event ${ids[1]} (LEAF_HASH_MISMATCH)`);
    for (const pid of [DEMO_PERSONS.liv.pid, DEMO_PERSONS.ola.pid, DEMO_PERSONS.per.pid])
      expect(output).not.toContain(pid);
    expect(code).toBe(1);
  });

  it('exits 2 when it has no key to verify with, rather than inventing one', async () => {
    const { code, output } = await verifyCommand({ AUDIT_SIGNING_KEY: '' });
    expect(output).toContain('no audit signing key');
    expect(code).toBe(2);
  });
});
