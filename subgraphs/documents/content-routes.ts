// PUT and GET /content/<link>: the documents subgraph's content door, behind the gateway's /documents/content/<link>
// (gateway/document-content.ts), which authenticated the caller exactly as for GraphQL and sent its caller token. The
// link must be one this caller was given, for this purpose, unused and unexpired (content-links.ts, store.useLink);
// every other link gets one answer, 404 DOCUMENT_LINK_INVALID, so links cannot be probed.
//
// Audited: DOCUMENT_UPLOADED in the transaction that makes the document visible; DOCUMENT_CONTENT_READ before the
// first byte of content leaves (one event per person the document is about, with the legal basis when the reader is
// not that person) — if it cannot be stored, no content is answered (AUDIT_UNAVAILABLE).
import { pipeline } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../access/actor.ts';
import { requiredAcr } from '../../access/security-level.ts';
import { errorBody, type ErrorCode } from '../../common/errors.ts';
import type { ContextFor, SubgraphContext } from '../runtime/types.ts';
import { sees } from '../runtime/visibility.ts';
import { linkHash } from './content-links.ts';
import { asContentError, ContentError, DocumentContentService } from './content-service.ts';
import { contentDisposition, parseRange } from './content-http.ts';
import { readAuditEvents, uploadAuditEvents } from './content-audit.ts';
import { mayHaveContent } from './permissions.ts';
import type { DocumentResources } from './resources.ts';
import type { DocumentsStore } from './store.ts';

type Ctx = SubgraphContext<DocumentsStore>;

const LINK_INVALID = () =>
  new ContentError(404, 'DOCUMENT_LINK_INVALID', 'The link is not valid: it is unknown, used or expired.');

function refuse(reply: FastifyReply, request: FastifyRequest, error: ContentError, extensions = {}) {
  // A refusal while the uploader is still sending: answer, then close, rather than read the rest.
  if (request.method === 'PUT') void reply.header('connection', 'close');
  return reply.code(error.status).send(errorBody(error.code, error.message, request.id, extensions));
}

export function registerContentRoutes(
  app: FastifyInstance,
  contextFor: ContextFor<DocumentsStore>,
  resources: DocumentResources,
): void {
  const service = new DocumentContentService(resources);

  // Content is any bytes: this scope reads no body itself and leaves the stream to the route.
  void app.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null));

    scope.put('/content/:link', async (request, reply) => {
      const ctx = contextFor(request);
      try {
        const link = await useLink(ctx, (request.params as { link?: unknown }).link, 'UPLOAD');
        const pending = link.pending;
        // The privilege may have been revoked since the link was issued.
        if (!pending || !(await ctx.access.holdsPrivilege('DOKUMENTLAGER.UPLOAD', pending.accountId)))
          throw new ContentError(403, 'FORBIDDEN', 'Du har ikke tilgang til dette.');
        const stored = await service.store(ctx, link.documentId, pending, request.raw, (content, tx) =>
          ctx.audit.on(tx).recordAll(uploadAuditEvents(link.documentId, pending, content)),
        );
        return reply.code(201).send({ id: link.documentId, ...stored });
      } catch (error) {
        const failure = asContentError(error);
        if (failure.status >= 500)
          request.log.warn({ code: failure.code, cause: causeOf(error) }, 'upload failed');
        if (reply.raw.destroyed) return reply;
        return refuse(reply, request, failure);
      }
    });

    scope.get('/content/:link', async (request, reply) => {
      const ctx = contextFor(request);
      let opened;
      let document;
      try {
        const link = await useLink(ctx, (request.params as { link?: unknown }).link, 'DOWNLOAD');
        document = await ctx.store.document(link.documentId);
        if (!document) {
          const level = await ctx.store.stepUpLevel(link.documentId);
          if (level !== null) return stepUp(reply, request, level);
          throw new ContentError(403, 'FORBIDDEN', 'Du har ikke tilgang til dette.');
        }
        if (document.state === 'DELETED')
          throw new ContentError(410, 'NOT_FOUND', 'The document was deleted.');
        if (!(await sees(mayHaveContent, document, ctx)))
          throw new ContentError(403, 'FORBIDDEN', 'Du har ikke tilgang til dette.');
        const range = parseRange(request.headers.range, document.sizeBytes);
        if (range === 'unsatisfiable') {
          void reply.header('content-range', `bytes */${document.sizeBytes}`);
          throw new ContentError(416, 'RANGE_NOT_SATISFIABLE', 'The range is outside the document.');
        }
        const events = await readAuditEvents(ctx, document, range);
        if (events === 'NO_LEGAL_BASIS')
          throw new ContentError(403, 'FORBIDDEN', 'Du har ikke tilgang til dette.');
        opened = await service.open(ctx, document, range ?? undefined);
        try {
          await ctx.audit.recordAll(events);
        } catch {
          opened.stream.destroy();
          throw new ContentError(503, 'AUDIT_UNAVAILABLE', 'The audit log is unavailable; try again later.');
        }
      } catch (error) {
        const failure = asContentError(error);
        if (failure.status >= 500)
          request.log.warn({ code: failure.code, cause: causeOf(error) }, 'download refused');
        return refuse(reply, request, failure);
      }

      const whole = opened.start === 0 && opened.end === Math.max(document.sizeBytes - 1, 0);
      const headers: Record<string, string> = {
        'content-type': document.mimeType,
        'content-length': String(document.sizeBytes === 0 ? 0 : opened.end - opened.start + 1),
        'accept-ranges': 'bytes',
        'content-disposition': contentDisposition(document.title),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      };
      if (!whole || request.headers.range) {
        headers['content-range'] = `bytes ${opened.start}-${opened.end}/${document.sizeBytes}`;
      } else if (document.sha256) {
        headers['repr-digest'] = `sha-256=:${Buffer.from(document.sha256, 'hex').toString('base64')}:`;
      }
      const status = headers['content-range'] ? 206 : 200;
      const readBy = document;
      void reply.hijack();
      reply.raw.writeHead(status, { ...headers, 'x-request-id': request.id });
      return new Promise<void>((resolve) => {
        pipeline(opened.stream, reply.raw, (error) => {
          if (error) {
            // Tampering found past the first segment, or the reader went away: the connection is cut, never ended
            // cleanly, so a partial download is not taken for the document.
            const failure = asContentError(error);
            if (failure.status >= 500) request.log.warn({ code: failure.code }, 'download cut');
            reply.raw.destroy();
            return resolve();
          }
          // "Whether and when it was read" (item 5): the first whole read by a party it is exposed to.
          const uploader = readBy.uploader;
          const self = actorOf(ctx.principal);
          const isUploader = uploader !== null && uploader.type === self.type && uploader.id === self.id;
          if (whole && !isUploader) {
            ctx.store.markRead(readBy.id).then(resolve, (failure: unknown) => {
              request.log.warn({ cause: causeOf(failure) }, 'read time not recorded');
              resolve();
            });
          } else resolve();
        });
      });
    });
    done();
  });
}

async function useLink(ctx: Ctx, link: unknown, purpose: 'UPLOAD' | 'DOWNLOAD') {
  const hash = linkHash(link);
  if (!hash) throw LINK_INVALID();
  const used = await ctx.store.useLink(hash, actorOf(ctx.principal));
  // A link used for the other purpose is spent all the same: each link does one thing once.
  if (!used || used.purpose !== purpose) throw LINK_INVALID();
  return used;
}

function stepUp(reply: FastifyReply, request: FastifyRequest, level: number) {
  const acr = requiredAcr(level) ?? 'idporten-loa-high';
  const code: ErrorCode = 'INSUFFICIENT_AUTHENTICATION_LEVEL';
  return reply.code(403).send(
    errorBody(code, 'Dette krever innlogging med et høyere sikkerhetsnivå.', request.id, {
      requiredAcr: acr,
    }),
  );
}

/** For the log: a driver's or the store's error code, never a message (which could quote a row or a path). */
function causeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : ((error as Error | null)?.name ?? 'unknown');
}
