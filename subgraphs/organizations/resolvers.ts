// Thin resolvers: check input, call the domain module or the store, return plain objects.
import { actorOf } from '../../access/privileges.ts';
import { platformError } from '../../common/errors.ts';
import type { SubgraphContext } from '../runtime/types.ts';
import { visibleBy } from '../runtime/visibility.ts';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { appointAdministrator, removeAdministrator } from './domain/administrators.ts';
import { whatMay, whoMay } from './domain/authorizations.ts';
import { callerView } from './domain/me.ts';
import { grantPrivilege, revokePrivilege, type GrantInput } from './domain/grants.ts';
import { isUuid, requireOrgnr } from './domain/input.ts';
import { createOrganization, type CreateOrganizationInput } from './domain/operators.ts';
import { createResource, type CreateResourceInput } from './domain/resources.ts';
import type {
  AuthorizationRow,
  OrganizationRow,
  OrganizationsStore,
  ResourceRow,
  TypeGrantRow,
} from './store.ts';
import { grantTypePrivilege, revokeTypePrivilege, type TypeGrantInput } from './domain/type-grants.ts';
import { seesResource } from './permissions.ts';

type Ctx = SubgraphContext<OrganizationsStore>;

async function existing(resource: Promise<ResourceRow | null>): Promise<ResourceRow> {
  const row = await resource;
  if (!row) throw platformError('INTERNAL_SERVER_ERROR', 'grant on a resource that does not exist');
  return row;
}

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    organization: (_: unknown, args: { orgnr: string }, ctx: Ctx) =>
      ctx.store.organization(requireOrgnr(args.orgnr)),
    organizations: (_: unknown, __: unknown, ctx: Ctx) => {
      const actor = actorOf(ctx.principal);
      return actor ? ctx.store.organizationsOf(actor) : [];
    },
    // Not a UUID: no such resource, the same answer as for one that does not exist.
    resource: (_: unknown, args: { id: string }, ctx: Ctx) =>
      isUuid(args.id) ? ctx.store.resource(args.id) : null,
    whoMay: (_: unknown, args: { privilege: string; resourceId: string }, ctx: Ctx) =>
      whoMay(ctx, args.privilege, args.resourceId),
    whatMay: (_: unknown, args: { actorType: string; actorId: string; orgnr: string }, ctx: Ctx) =>
      whatMay(ctx, args.actorType, args.actorId, args.orgnr),
    me: (_: unknown, __: unknown, ctx: Ctx) => callerView(ctx.principal),
  },
  Mutation: {
    createOrganization: (_: unknown, args: CreateOrganizationInput, ctx: Ctx) =>
      createOrganization(ctx, args),
    createResource: (_: unknown, args: CreateResourceInput, ctx: Ctx) => createResource(ctx, args),
    grantPrivilege: (_: unknown, args: GrantInput, ctx: Ctx) => grantPrivilege(ctx, args),
    revokePrivilege: (_: unknown, args: { grantId: string }, ctx: Ctx) => revokePrivilege(ctx, args.grantId),
    grantTypePrivilege: (_: unknown, args: TypeGrantInput, ctx: Ctx) => grantTypePrivilege(ctx, args),
    revokeTypePrivilege: (_: unknown, args: { id: string }, ctx: Ctx) => revokeTypePrivilege(ctx, args.id),
    appointAdministrator: (
      _: unknown,
      args: { resourceId: string; pid: string; legalBasis?: string | null },
      ctx: Ctx,
    ) => appointAdministrator(ctx, args.resourceId, args.pid, args.legalBasis),
    removeAdministrator: (_: unknown, args: { resourceId: string; pid: string }, ctx: Ctx) =>
      removeAdministrator(ctx, args.resourceId, args.pid),
  },
  Organization: {
    __resolveReference: (ref: { orgnr: string }, ctx: Ctx) => ctx.store.organization(ref.orgnr),
    rootResource: async (org: OrganizationRow, _: unknown, ctx: Ctx) => {
      const root = await ctx.store.rootResource(org.orgnr);
      if (!root) throw platformError('INTERNAL_SERVER_ERROR', 'organisation without root resource');
      return root;
    },
    resources: (org: OrganizationRow, _: unknown, ctx: Ctx) => ctx.store.resources(org.orgnr),
    typeGrants: (org: OrganizationRow, _: unknown, ctx: Ctx) => ctx.store.grants.typeGrantsIn(org.orgnr),
    integrationGrants: (org: OrganizationRow, _: unknown, ctx: Ctx) =>
      ctx.store.grants.toIntegrationsIn(org.orgnr),
  },
  // Only orgnr is known from the principal; the organisation itself comes from the store (null when it is not one).
  Caller: {
    organization: (c: { orgnr: string | null }, _: unknown, ctx: Ctx) =>
      c.orgnr ? ctx.store.organization(c.orgnr) : null,
  },
  ActingFor: {
    organization: (a: { orgnr: string }, _: unknown, ctx: Ctx) => ctx.store.organization(a.orgnr),
  },
  Resource: {
    // Entity resolution is not guarded by shield; answer only resources the caller may see.
    __resolveReference: async (ref: { id: string }, ctx: Ctx) =>
      visibleBy(seesResource, isUuid(ref.id) ? await ctx.store.resource(ref.id) : null, ctx),
    // Above what an integration was granted, the parent is null: as for the root, not a refusal.
    parent: async (r: ResourceRow, _: unknown, ctx: Ctx) =>
      r.parentId ? visibleBy(seesResource, await ctx.store.resource(r.parentId), ctx) : null,
    children: (r: ResourceRow, _: unknown, ctx: Ctx) => ctx.store.children(r.id),
    descendants: (r: ResourceRow, _: unknown, ctx: Ctx) => ctx.store.descendants(r.id),
    organization: (r: ResourceRow, _: unknown, ctx: Ctx) => ctx.store.organization(r.orgnr),
    grants: (r: ResourceRow, _: unknown, ctx: Ctx) => ctx.store.grants.on(r.id),
  },
  Grant: {
    resource: (g: { resourceId: string }, _: unknown, ctx: Ctx) => existing(ctx.store.resource(g.resourceId)),
  },
  TypeGrant: {
    organization: (g: TypeGrantRow, _: unknown, ctx: Ctx) => ctx.store.organization(g.orgnr),
  },
  Authorization: {
    resource: (a: AuthorizationRow, _: unknown, ctx: Ctx) => existing(ctx.store.resource(a.resourceId)),
    grantedOn: (a: AuthorizationRow, _: unknown, ctx: Ctx) => existing(ctx.store.resource(a.grantedOnId)),
  },
};
