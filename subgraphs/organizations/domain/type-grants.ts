// Type grants: a privilege on every resource of one type in an organisation (Fiks' TypeTilgang), counted as a grant
// on each such resource, so it also applies beneath each one, and to resources of that type created later. Because
// it reaches every corner of the organisation, only its administrators (ADMIN on the root) grant and revoke them.
import { platformError } from '../../../common/errors.ts';
import type { SubgraphContext } from '../../runtime/types.ts';
import type { AuditEventInput } from '../../runtime/audit.ts';
import { requireGrantable, requirePerson } from './grants.ts';
import {
  ADMIN,
  forbidden,
  isUuid,
  requireActor,
  optionalLegalBasis,
  requireOrgnr,
  requirePrivilege,
  requireResourceType,
} from './input.ts';
import type { OrganizationsStore, TypeGrantRow } from '../store.ts';

type Ctx = SubgraphContext<OrganizationsStore>;

export interface TypeGrantInput {
  orgnr: string;
  resourceType: string;
  actorType: string;
  actorId: string;
  privilege: string;
  legalBasis?: string | null;
}

function typeGrantEvent(action: string, grant: TypeGrantRow): AuditEventInput {
  return {
    orgnr: grant.orgnr,
    action,
    dataSubject: grant.actorType === 'PERSON' ? grant.actorId : null,
    legalBasis: grant.legalBasis,
    payload: {
      typeGrantId: grant.id,
      privilege: grant.privilege,
      resourceType: grant.resourceType,
      actor: { type: grant.actorType, id: grant.actorId },
    },
  };
}

async function requireOrganizationAdministrator(ctx: Ctx, orgnr: string): Promise<void> {
  requirePerson(ctx);
  if (!(await ctx.access.holdsPrivilegeIn(ADMIN, orgnr))) throw forbidden();
}

export async function grantTypePrivilege(ctx: Ctx, input: TypeGrantInput): Promise<TypeGrantRow> {
  const orgnr = requireOrgnr(input.orgnr);
  const resourceType = requireResourceType(input.resourceType);
  const actor = requireActor(input.actorType, input.actorId);
  const privilege = requirePrivilege(input.privilege);
  const legalBasis = optionalLegalBasis(input.legalBasis);
  await requireOrganizationAdministrator(ctx, orgnr);
  await requireGrantable(ctx, actor, privilege, orgnr);
  return ctx.store.write(ctx.audit, async (tx, audit) => {
    const grant = await tx.insertTypeGrant({ orgnr, actor, privilege, resourceType, legalBasis });
    if (!grant) {
      const existing = await tx.grants.typeGrantOf(orgnr, actor, privilege, resourceType);
      if (!existing) throw platformError('SERVICE_UNAVAILABLE', 'The grant changed meanwhile; try again.');
      return existing;
    }
    await audit.record(typeGrantEvent('TYPE_GRANT_CREATED', grant));
    return grant;
  });
}

export async function revokeTypePrivilege(ctx: Ctx, id: string): Promise<string> {
  requirePerson(ctx);
  const grant = isUuid(id) ? await ctx.store.grants.typeGrant(id) : null;
  if (!grant) throw forbidden();
  await requireOrganizationAdministrator(ctx, grant.orgnr);
  return ctx.store.write(ctx.audit, async (tx, audit) => {
    const deleted = await tx.deleteTypeGrant(grant.id);
    if (!deleted) throw forbidden();
    await audit.record(typeGrantEvent('TYPE_GRANT_REVOKED', deleted));
    return deleted.id;
  });
}
