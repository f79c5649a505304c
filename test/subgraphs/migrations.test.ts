import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SUBGRAPH_NAMES } from '../../common/subgraph-names.ts';
import { SUBGRAPHS } from '../../subgraphs/index.ts';
import { openDatabase } from '../../db/database.ts';
import { migrate } from '../../db/migrations.ts';
import { createTestDatabase } from '../support/database.ts';

describe('subgraphs / migrations', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
  });

  it('applies each migration once, however often and however concurrently it runs', async () => {
    const testDb = await createTestDatabase();
    cleanup.push(() => testDb.drop());
    const db = await openDatabase(testDb.target);
    cleanup.push(() => db.close());
    for (const name of SUBGRAPH_NAMES) {
      const files = (await readdir(SUBGRAPHS[name].migrations)).filter((f) => f.endsWith('.sql')).sort();
      expect(files[0]).toBe('001_init.sql');
      const runs = await Promise.all([1, 2, 3].map(() => migrate(db, name, SUBGRAPHS[name].migrations)));
      expect(runs.flat().sort()).toEqual(files);
      expect(await migrate(db, name, SUBGRAPHS[name].migrations)).toEqual([]);
    }
  });

  it('keeps one schema per subgraph', async () => {
    const testDb = await createTestDatabase();
    cleanup.push(() => testDb.drop());
    const db = await openDatabase(testDb.target);
    cleanup.push(() => db.close());
    for (const name of SUBGRAPH_NAMES) await migrate(db, name, SUBGRAPHS[name].migrations);
    const rows = await db.query<{ schema: string }>(
      `select distinct table_schema as schema from information_schema.tables
       where table_schema not in ('pg_catalog', 'information_schema') order by 1`,
    );
    expect(rows.map((r) => r.schema)).toEqual([...SUBGRAPH_NAMES].sort());
  });

  it('keeps embedded PGlite data in its folder across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fiks-pglite-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const first = await openDatabase({ kind: 'pglite', dir });
    await migrate(first, 'audit', SUBGRAPHS.audit.migrations);
    await first.query(
      "insert into audit.event (actor_type, actor_id, service, action) values ('PLATFORM', 'test', 'audit', 'KEPT')",
    );
    await first.close();

    const second = await openDatabase({ kind: 'pglite', dir });
    cleanup.push(() => second.close());
    expect(await migrate(second, 'audit', SUBGRAPHS.audit.migrations)).toEqual([]);
    expect(await second.query('select action from audit.event')).toEqual([{ action: 'KEPT' }]);
  });
});
