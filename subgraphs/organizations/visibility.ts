// Which resources of the tree a caller may see, for the resolvers that return resources shield does not see first
// (entity resolution) or that lead out of what the caller was granted (a resource's parent). The same rule as
// permissions.ts and the row-level security of migration 006: a person who holds a grant in the organisation sees
// its whole tree; an integration sees the resources it holds a grant on, directly or by type, and what is beneath.
import type { SubgraphContext } from '../runtime/types.ts';
import type { OrganizationsStore, ResourceRow } from './store.ts';

type Ctx = SubgraphContext<OrganizationsStore>;

export async function visibleResource(ctx: Ctx, resource: ResourceRow | null): Promise<ResourceRow | null> {
  if (!resource) return null;
  const sees =
    ctx.principal.kind === 'person'
      ? await ctx.access.isMemberOf(resource.orgnr)
      : await ctx.access.holdsAnyPrivilegeOn(resource.id);
  return sees ? resource : null;
}
