// The non-superuser role every request's queries run as, so that row-level security applies (a superuser, and
// PGlite's only user is one, bypasses it). Created once, by the migration runner, before any migration grants to it.
import type { Queryable } from './database.ts';

export const APPLICATION_ROLE = 'fiks_app';

/** Creates the application role if it is missing. Role names are cluster-wide, so runners of every schema (and
 * every process) serialise on one advisory lock; call it inside a transaction. */
export async function ensureApplicationRole(tx: Queryable): Promise<void> {
  await tx.query('select pg_advisory_xact_lock(hashtext($1))', ['fiks-migrate:application-role']);
  const exists = await tx.query('select 1 from pg_roles where rolname = $1', [APPLICATION_ROLE]);
  if (exists.length === 0) await tx.query(`create role ${APPLICATION_ROLE} nologin`);
}
