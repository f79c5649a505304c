// Growing an organisation's resource tree: an administrator of a resource creates resources beneath it (service
// accounts, departments, ...). Creating an organisation is a platform operator's act (operators.ts).
import type { SubgraphContext } from '../../runtime/types.ts';
import { administeredResource } from './grants.ts';
import { requireName, requireResourceType } from './input.ts';
import type { OrganizationsStore, ResourceRow } from '../store.ts';

type Ctx = SubgraphContext<OrganizationsStore>;

export interface CreateResourceInput {
  parentId: string;
  type: string;
  name: string;
}

export async function createResource(ctx: Ctx, input: CreateResourceInput): Promise<ResourceRow> {
  const type = requireResourceType(input.type);
  const name = requireName(input.name);
  const parent = await administeredResource(ctx, input.parentId);
  return ctx.store.write(ctx.audit, async (tx, audit) => {
    const resource = await tx.insertResource({ orgnr: parent.orgnr, parentId: parent.id, type, name });
    await audit.record({
      orgnr: resource.orgnr,
      action: 'RESOURCE_CREATED',
      payload: { resourceId: resource.id, parentId: parent.id, type, name },
    });
    return resource;
  });
}
