// Granting and revoking privileges on a resource (and, through them, appointing and removing administrators). Only
// administrators grant: ADMIN on a resource is every privilege on it and beneath it, so nobody grants what they do
// not hold, and nobody grants above or beside what they administer. Each change and its audit event are stored in
// one transaction before the mutation answers.
import type { Actor } from '../../../access/privileges.ts';
import { platformError } from '../../../common/errors.ts';
import type { AuditEventInput } from '../../runtime/audit.ts';
import type { SubgraphContext } from '../../runtime/types.ts';
import { ADMIN, forbidden, isUuid, optionalLegalBasis, requireActor, requirePrivilege } from './input.ts';
import type { GrantRow, OrganizationsStore, ResourceRow } from '../store.ts';

type Ctx = SubgraphContext<OrganizationsStore>;

/** Changing privileges is a person's act: an integration never administers. */
export function requirePerson(ctx: Ctx): void {
  if (ctx.principal.kind !== 'person') throw forbidden();
}

/** The resource, when the caller administers it. Another organisation's resource and one that does not exist get
 * the same refusal. */
export async function administeredResource(ctx: Ctx, id: string): Promise<ResourceRow> {
  requirePerson(ctx);
  const resource = isUuid(id) ? await ctx.store.resource(id) : null;
  if (!resource || !(await ctx.access.holdsPrivilege(ADMIN, resource.id))) throw forbidden();
  return resource;
}

/** What an organisation may grant an actor: integrations only its own or global ones, and never ADMIN. */
export async function requireGrantable(ctx: Ctx, actor: Actor, privilege: string, orgnr: string) {
  if (actor.type !== 'INTEGRATION') return;
  if (privilege === ADMIN) {
    throw platformError(
      'BAD_USER_INPUT',
      'ADMIN is held by persons only; grant the integration what it needs.',
    );
  }
  if (!(await ctx.store.grants.integrationGrantableBy(actor.id, orgnr))) throw forbidden();
}

export function grantEvent(action: string, grant: GrantRow): AuditEventInput {
  return {
    orgnr: grant.orgnr,
    action,
    dataSubject: grant.actorType === 'PERSON' ? grant.actorId : null,
    legalBasis: grant.legalBasis,
    payload: {
      grantId: grant.id,
      privilege: grant.privilege,
      resourceId: grant.resourceId,
      actor: { type: grant.actorType, id: grant.actorId },
    },
  };
}

export interface GrantInput {
  resourceId: string;
  actorType: string;
  actorId: string;
  privilege: string;
  /** The law the grant rests on; ADMIN grants default to administering access (organizations migration 007). */
  legalBasis?: string | null;
}

/** Grants the privilege on the resource (and beneath it). Granting what the actor holds already changes nothing
 * and answers the existing grant. */
export async function grantPrivilege(ctx: Ctx, input: GrantInput): Promise<GrantRow> {
  const actor = requireActor(input.actorType, input.actorId);
  const privilege = requirePrivilege(input.privilege);
  const legalBasis = optionalLegalBasis(input.legalBasis);
  const resource = await administeredResource(ctx, input.resourceId);
  await requireGrantable(ctx, actor, privilege, resource.orgnr);
  return ctx.store.write(ctx.audit, async (tx, audit) => {
    const grant = await tx.insertGrant({
      orgnr: resource.orgnr,
      actorType: actor.type,
      actorId: actor.id,
      privilege,
      resourceId: resource.id,
      legalBasis,
    });
    if (!grant) {
      const existing = await tx.grants.grantOf(actor, privilege, resource.id);
      if (!existing) throw platformError('SERVICE_UNAVAILABLE', 'The grant changed meanwhile; try again.');
      return existing;
    }
    await audit.record(grantEvent(privilege === ADMIN ? 'ADMINISTRATOR_APPOINTED' : 'GRANT_CREATED', grant));
    return grant;
  });
}

/** Revokes a grant, for an administrator of its resource; the organisation's last administrator stays. */
export async function revokePrivilege(ctx: Ctx, grantId: string): Promise<string> {
  requirePerson(ctx);
  const grant = isUuid(grantId) ? await ctx.store.grants.grant(grantId) : null;
  if (!grant || !(await ctx.access.holdsPrivilege(ADMIN, grant.resourceId))) throw forbidden();
  return revoke(ctx, grant);
}

/** Deletes the grant with its audit event. Removing ADMIN from a person on the root is refused when they are the
 * organisation's last administrator; the count and the delete run under a lock on the organisation. */
export async function revoke(ctx: Ctx, grant: GrantRow): Promise<string> {
  const isAdministrator = grant.privilege === ADMIN && grant.actorType === 'PERSON';
  const onRoot = isAdministrator && (await ctx.store.resource(grant.resourceId))?.parentId === null;
  return ctx.store.write(ctx.audit, async (tx, audit) => {
    if (onRoot) {
      await tx.lockOrganization(grant.orgnr);
      if ((await tx.countAdministrators(grant.orgnr)) <= 1) {
        throw platformError('BAD_USER_INPUT', 'The last administrator of an organisation cannot be removed.');
      }
    }
    const deleted = await tx.deleteGrant(grant.id);
    if (!deleted) throw forbidden();
    await audit.record(grantEvent(isAdministrator ? 'ADMINISTRATOR_REMOVED' : 'GRANT_REVOKED', deleted));
    return deleted.id;
  });
}
