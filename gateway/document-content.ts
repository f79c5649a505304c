// Document content at the public door (issue #11 item 4): GraphQL carries metadata only, and the bytes move through
// PUT (upload) and GET (download) /documents/content/:ticket, where the ticket is a short-lived, single-use link a
// GraphQL mutation issued. The caller is authenticated exactly as for /graphql (server.ts's hook, by the routes'
// `authenticate` flag); the documents subgraph checks the ticket against that principal, stores or reads the
// content and audits it. This module only streams (gateway/subgraph-stream.ts): never buffers a body, bounds an
// upload by DOCUMENT_MAX_BYTES, and makes sure a download can never render as a page on the gateway's origin.
import { subgraphAgent } from './subgraph-tls.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../common/errors.ts';
import { discardRequestBody, registerRawBodyRoutes } from '../common/raw-body-routes.ts';
import { addStepUpLogin, STEP_UP_CODE } from './plugins/step-up.ts';
import type { CallerTokenSigner } from './caller-token-signer.ts';
import {
  streamThroughSubgraph,
  type RelayedErrorBody,
  type SubgraphStreamCalls,
  type SubgraphStreamOptions,
} from './subgraph-stream.ts';

export const DOCUMENT_CONTENT_PATH = '/documents/content/:ticket';

export interface DocumentContentOptions {
  /** The documents subgraph's GraphQL URL; content is `content/<ticket>` beside it, as its readiness is `readyz`. */
  documentsUrl: string;
  signer: CallerTokenSigner;
  calls: SubgraphStreamCalls;
  /** Largest upload (DOCUMENT_MAX_BYTES); the subgraph enforces its own as well. */
  maxBytes: number;
  /** The gateway's browser login (`/auth/login`), for the step-up URL of a refusal asking for a stronger login.
   * Undefined without browser login: the refusal then goes out as the subgraph wrote it. */
  loginUrl?: string;
}

/** 32 random bytes, base64url without padding. Checked before anything else: the subgraph never sees garbage. */
const TICKET = /^[A-Za-z0-9_-]{43}$/;
/** The subgraph's own answers about a link and its content, relayed as they are: its refusals, an upload that took
 * longer than DOCUMENT_UPLOAD_MAX_SECONDS (408), and stored content that fails its checks (500 with
 * DOCUMENT_CONTENT_TAMPERED, DOCUMENT_KEY_MISMATCH, …: the caller and the operator need that code, and the body is
 * the subgraph's error body, never a trace). Anything else — its door refusing our token included — is the platform
 * failing, and the caller is told only that (503). */
const RELAYED = new Set([400, 403, 404, 408, 409, 410, 413, 415, 416, 500, 503]);
/** A 416 says which range there is; a 503 when to try again. */
const RELAYED_ERROR_HEADERS = ['content-range', 'retry-after'];
const UPLOADED = new Set([201]);
const DOWNLOADED = new Set([200, 206]);
const DOWNLOAD_HEADERS = [
  'content-type',
  'content-length',
  'content-range',
  'accept-ranges',
  'content-disposition',
  'repr-digest',
  'last-modified',
];
/** `filename*=UTF-8''…` (RFC 8187) in its well-formed shape only: nothing else of the subgraph's disposition is kept. */
const FILENAME_STAR =
  /(?:^|;)\s*filename\*\s*=\s*(UTF-8''(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-Fa-f]{2})+)\s*(?:;|$)/i;

/** Content a person uploaded is the gateway's origin's only if it renders there: it must not, whatever the
 * subgraph (or the uploader, through the stored content type) says. A download is saved, never shown, never
 * sniffed into HTML, scriptless if opened anyway, and never cached. */
export function downloadSafetyHeaders(relayed: Record<string, string>): Record<string, string> {
  const filename = FILENAME_STAR.exec(relayed['content-disposition'] ?? '')?.[1];
  return {
    'content-type': relayed['content-type'] ?? 'application/octet-stream',
    'content-disposition': filename ? `attachment; filename*=${filename}` : 'attachment',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "sandbox; default-src 'none'",
  };
}

function invalidLink(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .send(errorBody('DOCUMENT_LINK_INVALID', 'Lenken til dokumentet er ikke gyldig.', request.id));
}

export function registerDocumentContent(app: FastifyInstance, options: DocumentContentOptions): void {
  const agent = subgraphAgent(options.documentsUrl, options.calls.tls);
  const { loginUrl } = options;
  const contentUrl = (ticket: string) => new URL(`content/${ticket}`, options.documentsUrl);
  const ticketOf = (request: FastifyRequest) => {
    const { ticket } = request.params as { ticket?: unknown };
    return typeof ticket === 'string' && TICKET.test(ticket) ? ticket : undefined;
  };
  const common: Omit<SubgraphStreamOptions, 'method' | 'url' | 'label' | 'streamStatuses'> = {
    subgraph: 'documents',
    signer: options.signer,
    agent,
    calls: options.calls,
    relayErrorStatuses: RELAYED,
    relayErrorHeaders: RELAYED_ERROR_HEADERS,
    amendError: loginUrl
      ? (body: RelayedErrorBody, status: number) => {
          if (status !== 403) return;
          for (const error of body.errors) {
            if (error.extensions?.code === STEP_UP_CODE) addStepUpLogin(error.extensions, loginUrl);
          }
        }
      : undefined,
  };

  registerRawBodyRoutes(app, (scope) => {
    scope.put(
      DOCUMENT_CONTENT_PATH,
      { config: { authenticate: true }, exposeHeadRoute: false },
      (request, reply) => {
        // Refused before the body is read: what the client still sends is dropped (common/raw-body-routes.ts).
        const ticket = ticketOf(request);
        if (!ticket) {
          discardRequestBody(request);
          return invalidLink(request, reply);
        }
        // A session cookie rides along on any request a browser sends, another site's too; a header it cannot add
        // without asking first (CORS preflight) shows the upload is the page's own.
        if (!request.headers.authorization && !request.headers['x-requested-with']) {
          discardRequestBody(request);
          return reply
            .code(400)
            .send(errorBody('BAD_REQUEST', 'Send X-Requested-With with a session cookie.', request.id));
        }
        return streamThroughSubgraph(request, reply, {
          ...common,
          method: 'PUT',
          url: contentUrl(ticket),
          label: 'document upload',
          forwardHeaders: ['content-type', 'content-length'],
          body: { maxBytes: options.maxBytes },
          streamStatuses: UPLOADED,
          relayHeaders: ['content-type', 'content-length'],
          responseHeaders: () => ({ 'cache-control': 'no-store' }),
        });
      },
    );

    // No X-Requested-With here: a download link is opened by the browser as a plain navigation, and the ticket is
    // a 256-bit secret another site cannot know. No HEAD either: it would spend a single-use link on nothing.
    scope.get(
      DOCUMENT_CONTENT_PATH,
      { config: { authenticate: true }, exposeHeadRoute: false },
      (request, reply) => {
        const ticket = ticketOf(request);
        if (!ticket) return invalidLink(request, reply);
        return streamThroughSubgraph(request, reply, {
          ...common,
          method: 'GET',
          url: contentUrl(ticket),
          label: 'document download',
          forwardHeaders: ['range'],
          streamStatuses: DOWNLOADED,
          relayHeaders: DOWNLOAD_HEADERS,
          responseHeaders: downloadSafetyHeaders,
        });
      },
    );
  });
}
