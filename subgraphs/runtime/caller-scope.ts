// A database handle for one caller: every statement runs in a transaction as the non-superuser role fiks_app, with
// the caller in transaction-local settings that the row-level security policies read. PGlite runs as superuser,
// which bypasses row-level security; switching role is what makes the policies apply there too.
import { actorOf } from '../../access/actor.ts';
import type { Principal } from '../../access/principal.ts';
import { loginAcr } from '../../access/security-level.ts';
import { APPLICATION_ROLE } from '../../db/application-role.ts';
import type { Db, Queryable } from '../../db/database.ts';

const SET_CALLER = `select set_config('role', '${APPLICATION_ROLE}', true),
  set_config('fiks.actor_type', $1, true), set_config('fiks.actor_id', $2, true),
  set_config('fiks.pid', $3, true), set_config('fiks.acting_for', $4, true), set_config('fiks.acr', $5, true),
  set_config('fiks.acting_for_roles', $6, true)`;

/** fiks.acr is the login the request rests on (access/security-level.ts): empty for an integration alone. */
function settings(principal: Principal): string[] {
  const actor = actorOf(principal);
  const pid = principal.kind === 'person' ? principal.pid : (principal.onBehalfOf?.pid ?? '');
  const actingFor = principal.kind === 'person' ? (principal.actingFor?.orgnr ?? '') : '';
  // The Altinn roles held there (codes and access-package URNs carry no commas): the documents' ORGANIZATION
  // exposure needs Post/arkiv.
  const roles = principal.kind === 'person' ? (principal.actingFor?.roles ?? []).join(',') : '';
  return [actor.type, actor.id, pid, actingFor, loginAcr(principal) ?? '', roles];
}

export function callerScoped(db: Db, principal: Principal): Db {
  const values = settings(principal);
  const enter = (tx: Queryable) => tx.query(SET_CALLER, values);
  return {
    kind: db.kind,
    query: (text, params) =>
      db.transaction(async (tx) => {
        await enter(tx);
        return tx.query(text, params);
      }),
    transaction: (fn) =>
      db.transaction(async (tx) => {
        await enter(tx);
        return fn(tx);
      }),
    // The handle borrows the database; closing it is the owner's business.
    close: () => Promise.resolve(),
  };
}
