import { randomUUID } from 'node:crypto';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { GraphQLError } from 'graphql';
import { actorOf } from '../../access/actor.ts';
import { isUuid } from '../../common/identifiers.ts';
import { requiredAcr } from '../../access/security-level.ts';
import { FORBIDDEN_MESSAGE, stepUpError } from '../../common/errors.ts';
import type { AuditEventInput } from '../runtime/audit.ts';
import type { SubgraphContext } from '../runtime/types.ts';
import { sees } from '../runtime/visibility.ts';
import { newContentLink } from './content-links.ts';
import { perSubject } from './content-audit.ts';
import { personsOf } from './exposure.ts';
import { mayBeShownDocument, seesContent, seesDocument } from './permissions.ts';
import type { DocumentRow, DocumentsStore } from './store.ts';
import { pendingDocument, type StartDocumentUploadInput } from './upload-input.ts';

type Ctx = SubgraphContext<DocumentsStore>;

function stepUp(securityLevel: number) {
  return stepUpError(requiredAcr(securityLevel) ?? 'idporten-loa-high');
}

const forbidden = () => new GraphQLError(FORBIDDEN_MESSAGE, { extensions: { code: 'FORBIDDEN' } });

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

/** A document whose content the caller may have now; else FORBIDDEN — or a step-up, but only for someone the document
 * is exposed to: a stronger login gives nobody else its content (its administrators see metadata at any level). */
async function downloadable(id: string, ctx: Ctx): Promise<DocumentRow> {
  let document: DocumentRow | null;
  try {
    document = await visible(id, ctx);
  } catch (error) {
    const stepUpAsked = (error as GraphQLError).extensions?.code === 'INSUFFICIENT_AUTHENTICATION_LEVEL';
    if (stepUpAsked && (await ctx.store.exposedToCaller(id))) throw error;
    throw stepUpAsked ? forbidden() : error;
  }
  if (!document || document.state !== 'STORED' || !(await sees(seesContent, document, ctx)))
    throw forbidden();
  return document;
}

async function shown(rows: DocumentRow[], ctx: Ctx): Promise<DocumentRow[]> {
  const seen = await Promise.all(rows.map((document) => sees(seesDocument, document, ctx)));
  return rows.filter((_, i) => seen[i]);
}

function linkAnswer(documentId: string, path: string, expiresAt: string) {
  return { documentId, path, expiresAt };
}

function deletionEvents(document: DocumentRow, by: string, destroyed: boolean): AuditEventInput[] {
  return perSubject(personsOf(document.exposures), {
    orgnr: document.orgnr,
    action: 'DOCUMENT_DELETED',
    payload: { documentId: document.id, by, contentDestroyed: destroyed },
  });
}

/**
 * Deletes a document for a person it is exposed to (their copy only, while another person it is exposed to remains)
 * or for the uploading account. The key is destroyed at once (crypto-shredding: the stored content can no longer be
 * read); the purge job removes the content itself from the content store (purge.ts).
 */
async function deleteFor(ctx: Ctx, document: DocumentRow, by: 'RECIPIENT' | 'OPT_OUT' | 'UPLOADER') {
  const principal = ctx.principal;
  const pid = principal.kind === 'person' ? principal.pid : null;
  const persons = personsOf(document.exposures);
  if (by !== 'UPLOADER' && pid !== null && persons.includes(pid) && persons.some((p) => p !== pid)) {
    const removed = await ctx.store.removePersonExposure(document.id, pid, (tx) =>
      ctx.audit.on(tx).recordAll(deletionEvents(document, by, false)),
    );
    if (!removed) throw forbidden();
    return { id: document.id, contentDestroyed: false };
  }
  const destroyed = await ctx.store.destroy(document.id, by, (tx) =>
    ctx.audit.on(tx).recordAll(deletionEvents(document, by, true)),
  );
  if (!destroyed) throw forbidden();
  return { id: document.id, contentDestroyed: true };
}

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    document: (_: unknown, args: { id: string }, ctx: Ctx) => visible(args.id, ctx),
    myDocuments: async (_: unknown, __: unknown, ctx: Ctx) =>
      ctx.principal.kind === 'person' ? shown(await ctx.store.exposedToPerson(ctx.principal.pid), ctx) : [],
    myDocumentStorage: (_: unknown, __: unknown, ctx: Ctx) =>
      ctx.principal.kind === 'person'
        ? ctx.store.storagePreference(ctx.principal.pid)
        : { optedOut: false, since: null },
    documentsByCorrelationId: async (
      _: unknown,
      args: { accountId: string; correlationId: string },
      ctx: Ctx,
    ) => shown(await ctx.store.byCorrelationId(args.accountId, args.correlationId), ctx),
  },
  Mutation: {
    startDocumentUpload: async (_: unknown, args: { input: StartDocumentUploadInput }, ctx: Ctx) => {
      // Only into a document account (a resource of type DOKUMENTLAGER.KONTO), whatever else the caller may upload to.
      const orgnr = await ctx.store.accountOrganization(args.input.accountId);
      if (!orgnr) throw forbidden();
      const now = new Date();
      const pending = pendingDocument(args.input, orgnr, now);
      if ((await ctx.store.optedOut(personsOf(pending.exposures))).length > 0) {
        throw new GraphQLError(
          'A person this document is for does not let the document store keep documents for them.',
          { extensions: { code: 'RECIPIENT_OPTED_OUT' } },
        );
      }
      const documentId = randomUUID();
      const link = newContentLink();
      const expiresAt = await ctx.store.createLink({
        hash: link.hash,
        purpose: 'UPLOAD',
        documentId,
        actor: actorOf(ctx.principal),
        pending,
      });
      return linkAnswer(documentId, link.path, expiresAt);
    },
    startDocumentDownload: async (_: unknown, args: { id: string }, ctx: Ctx) => {
      const document = await downloadable(args.id, ctx);
      const link = newContentLink();
      const expiresAt = await ctx.store.createLink({
        hash: link.hash,
        purpose: 'DOWNLOAD',
        documentId: document.id,
        actor: actorOf(ctx.principal),
        pending: null,
      });
      return linkAnswer(document.id, link.path, expiresAt);
    },
    deleteDocument: async (_: unknown, args: { id: string }, ctx: Ctx) => {
      const document = await visible(args.id, ctx);
      if (!document || document.state !== 'STORED') throw forbidden();
      const pid = ctx.principal.kind === 'person' ? ctx.principal.pid : null;
      const recipient = pid !== null && personsOf(document.exposures).includes(pid);
      return deleteFor(ctx, document, recipient ? 'RECIPIENT' : 'UPLOADER');
    },
    optOutOfDocumentStorage: async (_: unknown, __: unknown, ctx: Ctx) => {
      if (ctx.principal.kind !== 'person') throw forbidden();
      const pid = ctx.principal.pid;
      // Every document kept for them goes, at any login level, as if they deleted each (their copy, where others
      // have it too); the opt-out and each deletion are audited in the same transaction.
      await ctx.store.optOut((tx, deleted) =>
        ctx.audit.on(tx).recordAll([
          { orgnr: null, action: 'DOCUMENT_STORAGE_OPTED_OUT', dataSubject: pid },
          ...deleted.map((d) => ({
            orgnr: d.orgnr,
            action: 'DOCUMENT_DELETED',
            dataSubject: pid,
            payload: { documentId: d.documentId, by: 'OPT_OUT', contentDestroyed: d.contentDestroyed },
          })),
        ]),
      );
      return ctx.store.storagePreference(pid);
    },
    optInToDocumentStorage: async (_: unknown, __: unknown, ctx: Ctx) => {
      if (ctx.principal.kind !== 'person') throw forbidden();
      await ctx.store.optIn(ctx.principal.pid);
      await ctx.audit.record({
        orgnr: null,
        action: 'DOCUMENT_STORAGE_OPTED_IN',
        dataSubject: ctx.principal.pid,
      });
      return ctx.store.storagePreference(ctx.principal.pid);
    },
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
    documents: async (org: { orgnr: string }, _: unknown, ctx: Ctx) =>
      shown(await ctx.store.heldBy(org.orgnr), ctx),
  },
};
