// A database handle for one caller: every statement runs in a transaction as the non-superuser role fiks_app, with
// the caller in transaction-local settings that the row-level security policies read. PGlite runs as superuser,
// which bypasses row-level security; switching role is what makes the policies apply there too.
import { actorOf } from '../../access/actor.ts';
import type { Principal } from '../../access/principal.ts';
import { loginAcr } from '../../access/security-level.ts';
import { APPLICATION_ROLE } from '../../db/application-role.ts';
import type { Db, TransactionOptions } from '../../db/database.ts';

/** fiks.acr is the login the request rests on (access/security-level.ts): empty for an integration alone. The role
 * comes first: a switch to fiks_app is what makes the policies apply at all. */
function settings(principal: Principal): [name: string, value: string][] {
  const actor = actorOf(principal);
  const pid = principal.kind === 'person' ? principal.pid : (principal.onBehalfOf?.pid ?? '');
  const actingFor = principal.kind === 'person' ? (principal.actingFor?.orgnr ?? '') : '';
  // The Altinn roles held there (codes and access-package URNs carry no commas): the documents' ORGANIZATION
  // exposure needs Post/arkiv.
  const roles = principal.kind === 'person' ? (principal.actingFor?.roles ?? []).join(',') : '';
  return [
    ['role', APPLICATION_ROLE],
    ['fiks.actor_type', actor.type],
    ['fiks.actor_id', actor.id],
    ['fiks.pid', pid],
    ['fiks.acting_for', actingFor],
    ['fiks.acr', loginAcr(principal) ?? ''],
    ['fiks.acting_for_roles', roles],
  ];
}

/** On PostgreSQL the settings travel with `begin` (db/database.ts): a caller-scoped statement costs two round trips,
 * `begin` with the settings and then the statement with `commit`, where it cost four (begin, settings, statement,
 * commit). The statement is sent only once the settings are in place. */
export function callerScoped(db: Db, principal: Principal): Db {
  const caller = settings(principal);
  // The caller's settings come last, so that none passed in with a statement can undo them (of two set_config
  // calls for one name, the later wins).
  const withCaller = (options?: TransactionOptions): TransactionOptions => ({
    settings: [...(options?.settings ?? []), ...caller],
  });
  return {
    kind: db.kind,
    query: (text, params, options) => db.query(text, params, withCaller(options)),
    transaction: (fn, options) => db.transaction(fn, withCaller(options)),
    // The handle borrows the database; closing it is the owner's business.
    close: () => Promise.resolve(),
  };
}
