import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { SubgraphContext } from '../runtime/types.ts';
import type { IntegrationRow, IntegrationsStore } from './store.ts';

type Ctx = SubgraphContext<IntegrationsStore>;

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    integration: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.store.integration(args.id),
  },
  Integration: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.store.integration(ref.id),
    ownerOrganization: (i: IntegrationRow) => ({ orgnr: i.ownerOrgnr }),
    authorizedOrganization: (i: IntegrationRow) => ({ orgnr: i.authorizedOrgnr }),
  },
  Organization: {
    // This subgraph does not own organisations; a reference is all it needs to list their integrations.
    __resolveReference: (ref: { orgnr: string }) => ({ orgnr: ref.orgnr }),
    integrations: (org: { orgnr: string }, _: unknown, ctx: Ctx) => ctx.store.ownedBy(org.orgnr),
  },
};
