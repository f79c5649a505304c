// "May actor A do P on resource R?" — the one read-only question the gateway and the subgraphs ask of the privilege
// store (Fiks-konfigurasjon). It goes through SQL functions owned by the organizations subgraph, so its tables can
// change without touching the askers.
import type { Queryable } from '../db/database.ts';
import type { Actor } from './actor.ts';

export { actorOf, type Actor } from './actor.ts';

export async function holdsPrivilege(
  db: Queryable,
  actor: Actor,
  privilege: string,
  resourceId: string,
): Promise<boolean> {
  const rows = await db.query<{ holds: boolean }>(
    'select organizations.holds_privilege($1, $2, $3, $4) as holds',
    [actor.type, actor.id, privilege, resourceId],
  );
  return rows[0]?.holds === true;
}

/** Holds `privilege` (or ADMIN) on the organisation's root resource, i.e. everywhere in it. */
export async function holdsPrivilegeInOrganization(
  db: Queryable,
  actor: Actor,
  privilege: string,
  orgnr: string,
): Promise<boolean> {
  const rows = await db.query<{ holds: boolean }>(
    'select coalesce(organizations.holds_privilege($1, $2, $3, organizations.root_resource_of($4)), false) as holds',
    [actor.type, actor.id, privilege, orgnr],
  );
  return rows[0]?.holds === true;
}

/** Whether the actor is one of the platform's operators (who create organisations; no access inside any). */
export async function isPlatformOperator(db: Queryable, actor: Actor): Promise<boolean> {
  const rows = await db.query<{ operator: boolean }>(
    'select organizations.is_platform_operator($1, $2) as operator',
    [actor.type, actor.id],
  );
  return rows[0]?.operator === true;
}

/** The legal basis under which the actor reaches the resource (the nearest of its grants there that carries one);
 * null when none does. */
export async function legalBasisFor(db: Queryable, actor: Actor, resourceId: string): Promise<string | null> {
  const rows = await db.query<{ basis: string | null }>(
    'select organizations.legal_basis_for($1, $2, $3) as basis',
    [actor.type, actor.id, resourceId],
  );
  return rows[0]?.basis ?? null;
}

/** The same for the organisation as a whole (its root resource). */
export async function legalBasisInOrganization(
  db: Queryable,
  actor: Actor,
  orgnr: string,
): Promise<string | null> {
  const rows = await db.query<{ basis: string | null }>(
    'select organizations.legal_basis_for($1, $2, organizations.root_resource_of($3)) as basis',
    [actor.type, actor.id, orgnr],
  );
  return rows[0]?.basis ?? null;
}
