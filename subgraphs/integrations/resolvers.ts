import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { SubgraphContext } from '../runtime/types.ts';
import { createIntegration, rotatePassword, setEnabled, type CreateIntegrationInput } from './manage.ts';
import type { IntegrationRow, IntegrationsStore } from './store.ts';

type Ctx = SubgraphContext<IntegrationsStore>;

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    integration: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.store.integration(args.id),
  },
  Mutation: {
    createIntegration: (_: unknown, args: { input: CreateIntegrationInput }, ctx: Ctx) =>
      createIntegration(ctx.store, ctx.principal, args.input),
    rotateIntegrationPassword: (_: unknown, args: { id: string }, ctx: Ctx) =>
      rotatePassword(ctx.store, ctx.principal, args.id),
    setIntegrationEnabled: (_: unknown, args: { id: string; enabled: boolean }, ctx: Ctx) =>
      setEnabled(ctx.store, ctx.principal, args.id, args.enabled),
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
