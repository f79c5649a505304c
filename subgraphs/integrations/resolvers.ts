import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { isUuid } from '../../common/identifiers.ts';
import type { SubgraphContext } from '../runtime/types.ts';
import { createIntegration, rotatePassword, setEnabled, type CreateIntegrationInput } from './manage.ts';
import type { IntegrationRow, IntegrationsStore } from './store.ts';

type Ctx = SubgraphContext<IntegrationsStore>;

/** An integration the caller may see, else null — as for one that does not exist. Guards entity resolution too. */
async function visible(integration: IntegrationRow | null, ctx: Ctx): Promise<IntegrationRow | null> {
  if (!integration) return null;
  const { principal, access } = ctx;
  if (principal.kind === 'integration' && principal.integrationId === integration.id) return integration;
  if (await access.holdsPrivilegeIn('ADMIN', integration.ownerOrgnr)) return integration;
  // A global integration is visible to every organisation: to any person who administers one.
  if (integration.global && principal.kind === 'person' && (await ctx.store.administersAny(principal.pid))) {
    return integration;
  }
  return null;
}

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    integration: async (_: unknown, args: { id: string }, ctx: Ctx) =>
      isUuid(args.id) ? visible(await ctx.store.integration(args.id), ctx) : null,
  },
  Mutation: {
    createIntegration: (_: unknown, args: { input: CreateIntegrationInput }, ctx: Ctx) =>
      createIntegration(ctx, args.input),
    rotateIntegrationPassword: (_: unknown, args: { id: string }, ctx: Ctx) => rotatePassword(ctx, args.id),
    setIntegrationEnabled: (_: unknown, args: { id: string; enabled: boolean }, ctx: Ctx) =>
      setEnabled(ctx, args.id, args.enabled),
  },
  Integration: {
    __resolveReference: async (ref: { id: string }, ctx: Ctx) =>
      isUuid(ref.id) ? visible(await ctx.store.integration(ref.id), ctx) : null,
    ownerOrganization: (i: IntegrationRow) => ({ orgnr: i.ownerOrgnr }),
    authorizedOrganization: (i: IntegrationRow) => ({ orgnr: i.authorizedOrgnr }),
  },
  Organization: {
    // This subgraph does not own organisations; a reference is all it needs to list their integrations.
    __resolveReference: (ref: { orgnr: string }) => ({ orgnr: ref.orgnr }),
    integrations: (org: { orgnr: string }, _: unknown, ctx: Ctx) => ctx.store.ownedBy(org.orgnr),
  },
};
