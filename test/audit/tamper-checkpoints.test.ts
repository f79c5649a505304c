// The checkpointer (issue #10 item 6): it signs a checkpoint only when events arrived, takes them in seq order even
// when they commit out of order, writes each checkpoint to the witness before the database commits it, never extends
// a head it did not sign, and several checkpointers at once make one consistent tree.
import { writeFile, mkdir } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointRefused, runCheckpoint } from '../../subgraphs/audit/checkpointer.ts';
import { checkCheckpoint, signCheckpoint, trustedKeys } from '../../subgraphs/audit/checkpoint.ts';
import { TreeStore } from '../../subgraphs/audit/store/tree.ts';
import { readWitness } from '../../subgraphs/audit/witness.ts';
import { POSTGRES_URL } from '../support/database.ts';
import { openTestLog, type TestLog } from './tamper-log.ts';

const count = async (log: TestLog, table: string) =>
  // eslint-disable-next-line fiks/no-sql-interpolation -- a table name written in this test.
  (await log.db.query<{ n: number }>(`select count(*)::int as n from audit.${table}`))[0]!.n;

describe('audit / checkpoints', () => {
  let log: TestLog;
  beforeAll(async () => {
    log = await openTestLog();
  });
  afterAll(() => log.close());

  it('signs none while nothing arrives, and one for all that arrived since', async () => {
    expect(await log.checkpoint()).toBeNull();
    const first = await log.append();
    const one = await log.checkpoint();
    expect(one).toMatchObject({ treeSize: 1, keyId: log.key.keyId });
    expect(checkCheckpoint(trustedKeys(log.key), one!)).toBe('valid');
    expect(await log.checkpoint()).toBeNull();
    const more = [await log.append(), await log.append(), await log.append()];
    expect(await log.checkpoint()).toMatchObject({ treeSize: 4 });
    expect(await log.checkpoint()).toBeNull();
    expect(await log.leafOrder()).toEqual([first, ...more]);
    expect(await count(log, 'checkpoint')).toBe(2);
  });

  it('writes each checkpoint to the witness, prepared before the commit and committed after', async () => {
    const witness = await readWitness(log.witnessFile);
    expect(witness.lines.map((l) => [l.treeSize, l.phase])).toEqual([
      [1, 'prepared'],
      [1, 'committed'],
      [4, 'prepared'],
      [4, 'committed'],
    ]);
    const stored = await new TreeStore(log.db).checkpoints();
    expect(witness.lines.filter((l) => l.phase === 'committed').map(({ phase: _, ...c }) => c)).toEqual(
      stored.map(({ seqFloor: _, ...c }) => c),
    );
  });

  it('stores nothing when the witness cannot be written, and catches up once it can', async () => {
    await log.append();
    const broken = `${log.witnessFile}.d`;
    await mkdir(broken);
    await expect(runCheckpoint(log.db, { key: log.key, witnessFile: broken })).rejects.toThrow();
    expect(await count(log, 'checkpoint')).toBe(2);
    expect(await count(log, 'leaf')).toBe(4);
    expect(await log.checkpoint()).toMatchObject({ treeSize: 5 });
    expect((await log.verify()).ok).toBe(true);
  });

  it('takes a backlog larger than one batch in several checkpoints', async () => {
    for (let i = 0; i < 5; i += 1) await log.append();
    const sizes: number[] = [];
    for (
      let c;
      (c = await runCheckpoint(log.db, { key: log.key, witnessFile: log.witnessFile, maxEvents: 2 }));
    )
      sizes.push(c.treeSize);
    expect(sizes).toEqual([7, 9, 10]);
    expect((await log.verify()).ok).toBe(true);
  });

  it('makes one consistent tree when several checkpointers run at once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push(await log.append());
    const made = await Promise.all([log.checkpoint(), log.checkpoint(), log.checkpoint()]);
    expect(made.filter((c) => c !== null).map((c) => c.treeSize)).toEqual([16]);
    expect((await log.leafOrder()).slice(10)).toEqual(ids);
    expect((await log.verify()).ok).toBe(true);
  });

  it('counts a prepared witness line whose commit failed as uncommitted, not as tampering', async () => {
    const head = { treeSize: 17, rootHash: 'ab'.repeat(32), issuedAt: new Date().toISOString() };
    const orphan = { ...signCheckpoint(log.key, head), phase: 'prepared' };
    await writeFile(log.witnessFile, `${JSON.stringify(orphan)}\n`, { flag: 'a' });
    expect(await log.verify()).toMatchObject({ ok: true, uncommittedWitnessLines: 1 });
    await writeFile(log.witnessFile, `${JSON.stringify({ ...orphan, phase: 'committed' })}\n`, { flag: 'a' });
    expect((await log.verify()).problems.map((p) => p.code)).toEqual(['WITNESS_CHECKPOINT_MISSING']);
  });
});

describe('audit / checkpoints refused', () => {
  let log: TestLog;
  beforeAll(async () => {
    log = await openTestLog();
    await log.appendEach(3);
    await log.append();
  });
  afterAll(() => log.close());

  it('will not extend a checkpoint its key did not sign', async () => {
    await log.db.query(
      `update audit.checkpoint set signature = decode(repeat('00', 64), 'hex') where tree_size = 3`,
    );
    const refusal = await log.checkpoint().catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(CheckpointRefused);
    expect(refusal).toMatchObject({ code: 'AUDIT_CHECKPOINT_FORGED' });
    expect(await count(log, 'checkpoint')).toBe(3);
  });

  it('will not extend stored subtrees that do not give the latest checkpoint', async () => {
    await log.db.query('delete from audit.checkpoint where tree_size = 3');
    await log.db.query(`update audit.node set hash = decode(repeat('cd', 32), 'hex') where level = 1`);
    const refusal = await log.checkpoint().catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'AUDIT_TREE_MISMATCH' });
  });
});

// PGlite has one session, so two transactions cannot be open at once there: this is PostgreSQL's behaviour alone.
if (POSTGRES_URL) {
  describe('audit / checkpoints with appends committing out of order (PostgreSQL)', () => {
    let log: TestLog;
    beforeAll(async () => {
      log = await openTestLog();
    });
    afterAll(() => log.close());

    it('waits for an open append with a lower seq, then takes both in seq order', async () => {
      if (log.target.kind !== 'postgres') throw new Error('needs PostgreSQL');
      const slow = new pg.Client({ connectionString: log.target.url });
      await slow.connect();
      try {
        await slow.query('begin');
        const { rows } = await slow.query<{ id: string }>(
          `select audit.append_event('PLATFORM', 'slow', null, null, 'audit', 'TEST_EVENT', null, null, null, null) as id`,
        );
        const late = await log.append();
        // The later seq has committed, the earlier one not yet: taking the later now would put it first for good.
        expect(await log.checkpoint()).toBeNull();
        expect(await count(log, 'leaf')).toBe(0);
        await slow.query('commit');
        expect(await log.checkpoint()).toMatchObject({ treeSize: 2 });
        expect(await log.leafOrder()).toEqual([rows[0]!.id, late]);
        expect((await log.verify()).ok).toBe(true);
      } finally {
        await slow.end();
      }
    });
  });
}
