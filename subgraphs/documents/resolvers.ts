import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { isUuid } from '../../common/identifiers.ts';
import { requiredAcr } from '../../access/security-level.ts';
import { stepUpError } from '../../common/errors.ts';
import type { SubgraphContext } from '../runtime/types.ts';
import { sees } from '../runtime/visibility.ts';
import { mayBeShownDocument, seesDocument } from './permissions.ts';
import type { DocumentRow, DocumentsStore } from './store.ts';

type Ctx = SubgraphContext<DocumentsStore>;

function stepUp(securityLevel: number) {
  return stepUpError(requiredAcr(securityLevel) ?? 'idporten-loa-high');
}

/** A document the caller may see, else null — the same answer as for a document that does not exist — or the
 * step-up error when the caller would see it after a stronger login. This also guards entity resolution
 * (__resolveReference), which graphql-shield does not see. */
async function visible(id: string, ctx: Ctx): Promise<DocumentRow | null> {
  if (!isUuid(id)) return null;
  const document = await ctx.store.document(id);
  if (!document) {
    // Row-level security hides a document whose level the caller's login does not meet; the database says whether
    // the caller would see it after a stronger login, and at which level.
    const level = await ctx.store.stepUpLevel(id);
    if (level !== null) throw stepUp(level);
    return null;
  }
  // The field rule decides (permissions.ts); one that the caller's login alone fails is a step-up, not a secret.
  if (await sees(seesDocument, document, ctx)) return document;
  if (await sees(mayBeShownDocument, document, ctx)) throw stepUp(document.securityLevel);
  return null;
}

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    document: (_: unknown, args: { id: string }, ctx: Ctx) => visible(args.id, ctx),
  },
  Document: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => visible(ref.id, ctx),
    organization: (d: DocumentRow) => ({ orgnr: d.orgnr }),
    // Each exposure knows its document, so that a read of its value is audited as a read of the document.
    exposedTo: (d: DocumentRow) =>
      d.exposures.map((e) => ({ ...e, documentId: d.id, orgnr: d.orgnr, exposures: d.exposures })),
  },
  Organization: {
    __resolveReference: (ref: { orgnr: string }) => ({ orgnr: ref.orgnr }),
    // The administrators' list holds only what their login meets; a stronger login shows the rest.
    documents: async (org: { orgnr: string }, _: unknown, ctx: Ctx) => {
      const held = await ctx.store.heldBy(org.orgnr);
      const shown = await Promise.all(held.map((document) => sees(seesDocument, document, ctx)));
      return held.filter((_, i) => shown[i]);
    },
  },
};
