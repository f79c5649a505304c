// "Who may do X on Y" and "what may this actor do": the privilege store's answers with the grant behind each, for
// administrators (whoMay: of the resource; whatMay: of the organisation) and for an actor asking about itself.
import type { SubgraphContext } from '../../runtime/types.ts';
import { ADMIN, forbidden, isUuid, requireActor, requireOrgnr, requirePrivilege } from './input.ts';
import type { AuthorizationRow, OrganizationsStore } from '../store.ts';

type Ctx = SubgraphContext<OrganizationsStore>;

export async function whoMay(ctx: Ctx, privilege: string, resourceId: string): Promise<AuthorizationRow[]> {
  requirePrivilege(privilege);
  if (!isUuid(resourceId) || !(await ctx.access.holdsPrivilege(ADMIN, resourceId))) throw forbidden();
  return ctx.store.grants.whoMay(privilege, resourceId);
}

export async function whatMay(
  ctx: Ctx,
  actorType: string,
  actorId: string,
  orgnr: string,
): Promise<AuthorizationRow[]> {
  const actor = requireActor(actorType, actorId);
  requireOrgnr(orgnr);
  const { principal } = ctx;
  const isSelf =
    principal.kind === 'person'
      ? actor.type === 'PERSON' && actor.id === principal.pid
      : actor.type === 'INTEGRATION' && actor.id === principal.integrationId.toLowerCase();
  if (!isSelf && !(await ctx.access.holdsPrivilegeIn(ADMIN, orgnr))) throw forbidden();
  return ctx.store.grants.whatMay(actor, orgnr);
}
