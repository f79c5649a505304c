// What the platform's operators do: create Fiks organisations, each with its root resource and one administrator
// (FIKS-FACTS §5: "one personnummer is set as administrator"). Being an operator gives no access inside any
// organisation; the administrator takes it from there.
import { platformError } from '../../../common/errors.ts';
import type { SubgraphContext } from '../../runtime/types.ts';
import { grantEvent, requirePerson } from './grants.ts';
import { forbidden, requireName, requireOrgnr, requirePid } from './input.ts';
import type { OrganizationRow, OrganizationsStore } from '../store.ts';

type Ctx = SubgraphContext<OrganizationsStore>;

export interface CreateOrganizationInput {
  orgnr: string;
  name: string;
  administratorPid: string;
}

export async function createOrganization(ctx: Ctx, input: CreateOrganizationInput): Promise<OrganizationRow> {
  const orgnr = requireOrgnr(input.orgnr);
  const name = requireName(input.name);
  const pid = requirePid(input.administratorPid);
  requirePerson(ctx);
  if (!(await ctx.access.isPlatformOperator())) throw forbidden();
  return ctx.store.write(ctx.audit, async (tx, audit) => {
    const created = await tx.insertOrganization({ orgnr, name }, pid);
    if (!created) throw platformError('BAD_USER_INPUT', 'That organisation exists already.');
    const { root, administrator } = created;
    await audit.record({
      orgnr,
      action: 'ORGANIZATION_CREATED',
      payload: { name, rootResourceId: root.id },
    });
    await audit.record(grantEvent('ADMINISTRATOR_APPOINTED', administrator));
    return { orgnr, name };
  });
}
