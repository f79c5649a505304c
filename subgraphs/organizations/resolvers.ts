// Thin resolvers: check input, ask the store, return plain objects.
import { actorOf } from '../../access/privileges.ts';
import { platformError } from '../../common/errors.ts';
import { isValidOrgnr } from '../../common/identifiers.ts';
import type { SubgraphContext } from '../runtime/types.ts';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { callerView } from './caller.ts';
import type { OrganizationRow, OrganizationsStore, ResourceRow } from './store.ts';

type Ctx = SubgraphContext<OrganizationsStore>;

function requireOrgnr(orgnr: string): string {
  if (!isValidOrgnr(orgnr))
    throw platformError('BAD_USER_INPUT', 'orgnr must be a valid organisation number.');
  return orgnr;
}

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    organization: (_: unknown, args: { orgnr: string }, ctx: Ctx) =>
      ctx.store.organization(requireOrgnr(args.orgnr)),
    organizations: (_: unknown, __: unknown, ctx: Ctx) => {
      const actor = actorOf(ctx.principal);
      return actor ? ctx.store.organizationsOf(actor) : [];
    },
    resource: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.store.resource(args.id),
    me: (_: unknown, __: unknown, ctx: Ctx) => callerView(ctx.principal),
  },
  Organization: {
    __resolveReference: (ref: { orgnr: string }, ctx: Ctx) => ctx.store.organization(ref.orgnr),
    rootResource: async (org: OrganizationRow, _: unknown, ctx: Ctx) => {
      const root = await ctx.store.rootResource(org.orgnr);
      if (!root) throw platformError('INTERNAL_SERVER_ERROR', 'organisation without root resource');
      return root;
    },
    resources: (org: OrganizationRow, _: unknown, ctx: Ctx) => ctx.store.resources(org.orgnr),
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
    // Entity resolution is not guarded by shield; answer only resources of organisations the caller is in.
    __resolveReference: async (ref: { id: string }, ctx: Ctx) => {
      const resource = await ctx.store.resource(ref.id);
      return resource && (await ctx.access.isMemberOf(resource.orgnr)) ? resource : null;
    },
    parent: (r: ResourceRow, _: unknown, ctx: Ctx) => (r.parentId ? ctx.store.resource(r.parentId) : null),
    children: (r: ResourceRow, _: unknown, ctx: Ctx) => ctx.store.children(r.id),
    organization: (r: ResourceRow, _: unknown, ctx: Ctx) => ctx.store.organization(r.orgnr),
    grants: (r: ResourceRow, _: unknown, ctx: Ctx) => ctx.store.grantsOn(r.id),
  },
  Grant: {
    resource: (g: { resourceId: string }, _: unknown, ctx: Ctx) => ctx.store.resource(g.resourceId),
  },
};
