import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { isUuid } from '../../common/identifiers.ts';
import type { SubgraphContext } from '../runtime/types.ts';
import { isExposedTo } from './exposure.ts';
import type { DocumentRow, DocumentsStore } from './store.ts';

type Ctx = SubgraphContext<DocumentsStore>;

/** A document the caller may see, else null — the same answer as for a document that does not exist. This also
 * guards entity resolution (__resolveReference), which graphql-shield does not see. */
async function visible(document: DocumentRow | null, ctx: Ctx): Promise<DocumentRow | null> {
  if (!document) return null;
  if (await isExposedTo(document, ctx.principal, ctx.access)) return document;
  return (await ctx.access.holdsPrivilegeIn('ADMIN', document.orgnr)) ? document : null;
}

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    document: async (_: unknown, args: { id: string }, ctx: Ctx) =>
      isUuid(args.id) ? visible(await ctx.store.document(args.id), ctx) : null,
  },
  Document: {
    __resolveReference: async (ref: { id: string }, ctx: Ctx) =>
      isUuid(ref.id) ? visible(await ctx.store.document(ref.id), ctx) : null,
    organization: (d: DocumentRow) => ({ orgnr: d.orgnr }),
    exposedTo: (d: DocumentRow) => d.exposures,
  },
  Organization: {
    __resolveReference: (ref: { orgnr: string }) => ({ orgnr: ref.orgnr }),
    documents: (org: { orgnr: string }, _: unknown, ctx: Ctx) => ctx.store.heldBy(org.orgnr),
  },
};
