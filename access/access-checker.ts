// The privilege questions one request asks, each answered once per request (memoised) and never across requests:
// a revoked grant takes effect on the very next request.
import { isUuid } from '../common/identifiers.ts';
import type { Queryable } from '../db/database.ts';
import type { Principal } from './principal.ts';
import {
  actorOf,
  holdsPrivilege,
  holdsPrivilegeInOrganization,
  isPlatformOperator,
  legalBasisFor,
  legalBasisInOrganization,
  privilegeWithBasis,
  privilegeWithBasisInOrganization,
} from './privileges.ts';

export interface AccessChecker {
  /** Holds privilege (or ADMIN) on the resource or one above it. */
  holdsPrivilege(privilege: string, resourceId: string): Promise<boolean>;
  /** Holds privilege (or ADMIN) on the organisation's root, i.e. everywhere in it. */
  holdsPrivilegeIn(privilege: string, orgnr: string): Promise<boolean>;
  /** Holds any grant anywhere in the organisation (a person who does may see its resource tree). */
  isMemberOf(orgnr: string): Promise<boolean>;
  /** Holds some privilege on the resource or one above it, directly or by type (may see it and its subtree). */
  holdsAnyPrivilegeOn(resourceId: string): Promise<boolean>;
  organizationOfResource(resourceId: string): Promise<string | null>;
  /** One of the platform's operators (creates organisations; holds nothing inside them by being one). */
  isPlatformOperator(): Promise<boolean>;
  /** Administers some organisation (ADMIN on its root): such a person sees the global integrations. */
  administersAnyOrganization(): Promise<boolean>;
  /** Holds ADMIN anywhere (on some resource, or by a type grant): may introspect the schema in production. */
  administersAnything(): Promise<boolean>;
  /** The legal basis of the caller's grants that reach the resource (or, without one, the organisation's root):
   * what an audited read of another person's data there rests on; null when no grant carries one. */
  legalBasis(where: { resourceId?: string | null; orgnr?: string | null }): Promise<string | null>;
}

const ORGNR = /^\d{9}$/;

export interface AccessCheckerOptions {
  /** Ask each privilege check's legal basis in the same statement (the subgraphs, whose reads of personal data
   * need one); the gateway's rule walk never asks for a legal basis.
   * @default false */
  withLegalBasis?: boolean;
}

export function createAccessChecker(
  db: Queryable,
  principal: Principal,
  options: AccessCheckerOptions = {},
): AccessChecker {
  const actor = actorOf(principal);
  const memo = new Map<string, Promise<unknown>>();
  function once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let value = memo.get(key) as Promise<T> | undefined;
    if (!value) {
      value = fn();
      memo.set(key, value);
    }
    return value;
  }
  /** A legal basis learnt alongside a privilege check, kept for the legal-basis question that follows it. */
  function learnBasis(key: string, basis: string | null): void {
    if (!memo.has(key)) memo.set(key, Promise.resolve(basis));
  }
  return {
    holdsPrivilege(privilege, resourceId) {
      if (!actor || !isUuid(resourceId)) return Promise.resolve(false);
      return once(`p\0${privilege}\0${resourceId}`, async () => {
        if (!options.withLegalBasis) return holdsPrivilege(db, actor, privilege, resourceId);
        const { holds, basis } = await privilegeWithBasis(db, actor, privilege, resourceId);
        learnBasis(`b\0r\0${resourceId}`, basis);
        return holds;
      });
    },
    holdsPrivilegeIn(privilege, orgnr) {
      if (!actor || !ORGNR.test(orgnr)) return Promise.resolve(false);
      return once(`o\0${privilege}\0${orgnr}`, async () => {
        if (!options.withLegalBasis) return holdsPrivilegeInOrganization(db, actor, privilege, orgnr);
        const { holds, basis } = await privilegeWithBasisInOrganization(db, actor, privilege, orgnr);
        learnBasis(`b\0o\0${orgnr}`, basis);
        return holds;
      });
    },
    isMemberOf(orgnr) {
      if (!actor || !ORGNR.test(orgnr)) return Promise.resolve(false);
      return once(`m\0${orgnr}`, async () => {
        const rows = await db.query<{ holds: boolean }>(
          'select organizations.holds_any_privilege_in($1, $2, $3) as holds',
          [actor.type, actor.id, orgnr],
        );
        return rows[0]?.holds === true;
      });
    },
    holdsAnyPrivilegeOn(resourceId) {
      if (!actor || !isUuid(resourceId)) return Promise.resolve(false);
      return once(`a\0${resourceId}`, async () => {
        const rows = await db.query<{ holds: boolean }>(
          'select organizations.holds_any_privilege_on($1, $2, $3) as holds',
          [actor.type, actor.id, resourceId],
        );
        return rows[0]?.holds === true;
      });
    },
    organizationOfResource(resourceId) {
      if (!isUuid(resourceId)) return Promise.resolve(null);
      return once(`r\0${resourceId}`, async () => {
        const rows = await db.query<{ orgnr: string | null }>(
          'select organizations.organization_of_resource($1) as orgnr',
          [resourceId],
        );
        return rows[0]?.orgnr ?? null;
      });
    },
    isPlatformOperator() {
      if (!actor) return Promise.resolve(false);
      return once('operator', () => isPlatformOperator(db, actor));
    },
    legalBasis(where) {
      if (!actor) return Promise.resolve(null);
      if (where.resourceId && isUuid(where.resourceId)) {
        const resourceId = where.resourceId;
        return once(`b\0r\0${resourceId}`, () => legalBasisFor(db, actor, resourceId));
      }
      if (where.orgnr && ORGNR.test(where.orgnr)) {
        const orgnr = where.orgnr;
        return once(`b\0o\0${orgnr}`, () => legalBasisInOrganization(db, actor, orgnr));
      }
      return Promise.resolve(null);
    },
    administersAnything() {
      if (!actor) return Promise.resolve(false);
      return once('administers-anything', async () => {
        const rows = await db.query<{ holds: boolean }>(
          'select organizations.administers_anything($1, $2) as holds',
          [actor.type, actor.id],
        );
        return rows[0]?.holds === true;
      });
    },
    administersAnyOrganization() {
      if (!actor) return Promise.resolve(false);
      return once('administers-any', async () => {
        const rows = await db.query<{ holds: boolean }>(
          'select organizations.administers_any_organization($1, $2) as holds',
          [actor.type, actor.id],
        );
        return rows[0]?.holds === true;
      });
    },
  };
}
