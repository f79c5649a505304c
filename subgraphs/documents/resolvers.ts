import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { SubgraphContext } from '../runtime/types.ts';
import type { DocumentRow, DocumentsStore } from './store.ts';

type Ctx = SubgraphContext<DocumentsStore>;

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    document: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.store.document(args.id),
  },
  Document: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.store.document(ref.id),
    organization: (d: DocumentRow) => ({ orgnr: d.orgnr }),
    exposedTo: (d: DocumentRow, _: unknown, ctx: Ctx) => ctx.store.exposures(d.id),
  },
  Organization: {
    __resolveReference: (ref: { orgnr: string }) => ({ orgnr: ref.orgnr }),
    documents: (org: { orgnr: string }, _: unknown, ctx: Ctx) => ctx.store.heldBy(org.orgnr),
  },
};
