import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { isUuid } from '../../common/identifiers.ts';
import type { SubgraphContext } from '../runtime/types.ts';
import { visibleBy } from '../runtime/visibility.ts';
import { seesIntegration } from './permissions.ts';
import { createIntegration, rotatePassword, setEnabled, type CreateIntegrationInput } from './manage.ts';
import type { IntegrationRow, IntegrationsStore } from './store.ts';
import {
  MODE_ENUM,
  registerTrustedOperations,
  setOperationsMode,
  type TrustedOperationInput,
} from './trusted-operations.ts';

type Ctx = SubgraphContext<IntegrationsStore>;

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    integration: async (_: unknown, args: { id: string }, ctx: Ctx) =>
      isUuid(args.id) ? visibleBy(seesIntegration, await ctx.store.integration(args.id), ctx) : null,
  },
  Mutation: {
    createIntegration: (_: unknown, args: { input: CreateIntegrationInput }, ctx: Ctx) =>
      createIntegration(ctx, args.input),
    rotateIntegrationPassword: (_: unknown, args: { id: string }, ctx: Ctx) => rotatePassword(ctx, args.id),
    setIntegrationEnabled: (_: unknown, args: { id: string; enabled: boolean }, ctx: Ctx) =>
      setEnabled(ctx, args.id, args.enabled),
    registerTrustedOperations: (
      _: unknown,
      args: { integrationId: string; operations: TrustedOperationInput[] },
      ctx: Ctx,
    ) => registerTrustedOperations(ctx, args.integrationId, args.operations),
    setIntegrationOperationsMode: (_: unknown, args: { id: string; mode: string }, ctx: Ctx) =>
      setOperationsMode(ctx, args.id, args.mode),
  },
  Integration: {
    __resolveReference: async (ref: { id: string }, ctx: Ctx) =>
      isUuid(ref.id) ? visibleBy(seesIntegration, await ctx.store.integration(ref.id), ctx) : null,
    ownerOrganization: (i: IntegrationRow) => ({ orgnr: i.ownerOrgnr }),
    authorizedOrganization: (i: IntegrationRow) => ({ orgnr: i.authorizedOrgnr }),
    operationsMode: (i: IntegrationRow) => MODE_ENUM[i.operationsMode],
    // Row-level security answers only the rows the caller may read (migrations/005_trusted_operations.sql).
    trustedOperations: (i: IntegrationRow, _: unknown, ctx: Ctx) => ctx.store.trustedOperations(i.id),
  },
  Organization: {
    // This subgraph does not own organisations; a reference is all it needs to list their integrations.
    __resolveReference: (ref: { orgnr: string }) => ({ orgnr: ref.orgnr }),
    integrations: (org: { orgnr: string }, _: unknown, ctx: Ctx) => ctx.store.ownedBy(org.orgnr),
  },
};
