// Administrators: persons holding ADMIN on a resource — on the organisation's root, administrators of the whole
// organisation; on a service's resource, of that service (FIKS-FACTS §5). Appointing is granting ADMIN, removing is
// revoking it; an organisation always keeps at least one administrator.
import { platformError } from '../../../common/errors.ts';
import type { SubgraphContext } from '../../runtime/types.ts';
import { administeredResource, grantPrivilege, revoke } from './grants.ts';
import { ADMIN, requirePid } from './input.ts';
import type { GrantRow, OrganizationsStore } from '../store.ts';

type Ctx = SubgraphContext<OrganizationsStore>;

export function appointAdministrator(
  ctx: Ctx,
  resourceId: string,
  pid: string,
  legalBasis?: string | null,
): Promise<GrantRow> {
  return grantPrivilege(ctx, { resourceId, actorType: 'PERSON', actorId: pid, privilege: ADMIN, legalBasis });
}

export async function removeAdministrator(ctx: Ctx, resourceId: string, pid: string): Promise<string> {
  requirePid(pid);
  const resource = await administeredResource(ctx, resourceId);
  const grant = await ctx.store.grants.grantOf({ type: 'PERSON', id: pid }, ADMIN, resource.id);
  if (!grant) {
    throw platformError('BAD_USER_INPUT', 'That person is not an administrator of this resource.');
  }
  return revoke(ctx, grant);
}
