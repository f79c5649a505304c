// Applies a subgraph's SQL migrations (files NNN_name.sql, in name order) to its own schema, once each. Safe to run
// at every start and from several processes at once: an advisory lock serialises runners per schema, and each file
// is applied in the same transaction that records it. The application role the migrations grant to is created
// first, here, so that no subgraph's migrations depend on another's having run.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ensureApplicationRole } from './application-role.ts';
import type { Db } from './database.ts';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export async function migrate(db: Db, schema: string, migrationsDir: URL): Promise<string[]> {
  if (!IDENTIFIER.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const dir = fileURLToPath(migrationsDir);
  const files = (await readdir(dir)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  await db.transaction((tx) => ensureApplicationRole(tx));
  const applied: string[] = [];
  for (const file of files) {
    const sql = await readFile(`${dir}/${file}`, 'utf8');
    const didApply = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`fiks-migrate:${schema}`]);
      await tx.exec(
        // eslint-disable-next-line fiks/no-sql-interpolation -- `schema` passed IDENTIFIER above.
        `create schema if not exists ${schema};
         create table if not exists ${schema}.schema_migrations (
           version text primary key, applied_at timestamptz not null default now())`,
      );
      // eslint-disable-next-line fiks/no-sql-interpolation -- `schema` passed IDENTIFIER above.
      const done = await tx.query(`select 1 from ${schema}.schema_migrations where version = $1`, [file]);
      if (done.length > 0) return false;
      // eslint-disable-next-line fiks/no-sql-interpolation -- a migration file of this repository, named NNN_name.sql.
      await tx.exec(sql);
      // eslint-disable-next-line fiks/no-sql-interpolation -- `schema` passed IDENTIFIER above.
      await tx.query(`insert into ${schema}.schema_migrations (version) values ($1)`, [file]);
      return true;
    });
    if (didApply) applied.push(file);
  }
  return applied;
}
