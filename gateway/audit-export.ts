// GET /audit/export?orgnr=&from=&to=: the audit log's streaming export (issue #10 item 9) at the public door. The
// caller is authenticated exactly as for /graphql (server.ts's hook, by the route's `authenticate` flag); this
// forwards to the audit subgraph's own /export with a caller token for the audit subgraph, as every subgraph call
// goes, and streams the answer through without holding it: node:http with `pipeline`, so a slow reader slows the
// subgraph down (backpressure) and a reader who goes away stops it (the subgraph sees its connection close). The
// subgraph decides who may export and records the export (subgraphs/audit/export.ts).
import http from 'node:http';
import { pipeline } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, type ErrorCode } from '../common/errors.ts';
import type { CallerTokenSigner } from './caller-token-signer.ts';
import { SUBGRAPH_UNAVAILABLE_MESSAGE } from './subgraph-data-source.ts';
import type { SubgraphHttpOptions } from './subgraph-http.ts';

export const AUDIT_EXPORT_PATH = '/audit/export';

export interface AuditExportOptions {
  /** The audit subgraph's GraphQL URL; its export is `export` beside it, as its readiness is `readyz`. */
  auditUrl: string;
  signer: CallerTokenSigner;
  /** connectTimeoutMs bounds reaching the subgraph, timeoutMs its first answer; the stream itself has no deadline.
   * retryAfterSeconds is the Retry-After of a 503, as for GraphQL operations. */
  calls: Pick<SubgraphHttpOptions, 'connectTimeoutMs' | 'timeoutMs'> & { retryAfterSeconds: number };
}

const ORGNR = /^\d{9}$/;
/** The shape of an ISO 8601 date-time; the subgraph checks that it is one. */
const DATE_TIME = /^[0-9T:.+\-Zz]{10,40}$/;
/** The subgraph's own answers about this export: bad input, not allowed, the audit log unable to record it
 * (AUDIT_UNAVAILABLE). Anything else — its door refusing our token included — is the platform failing, and the
 * caller is told only that. */
const RELAYED = new Set([400, 403, 503]);
/** Error bodies are small; a longer one is not ours. */
const MAX_ERROR_BODY = 16_384;

function refuse(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: ErrorCode,
  message: string,
) {
  return reply.code(status).send(errorBody(code, message, request.id));
}

export function registerAuditExport(app: FastifyInstance, options: AuditExportOptions): void {
  const agent = new http.Agent({ keepAlive: true });
  const exportUrl = new URL('export', options.auditUrl);

  app.get(AUDIT_EXPORT_PATH, { config: { authenticate: true } }, (request, reply) => {
    // A session cookie rides along on any request a browser sends, another site's too; a header it cannot add
    // without asking first (CORS preflight) shows the request is the page's own (as Apollo asks of GET operations).
    if (!request.headers.authorization && !request.headers['x-requested-with']) {
      return refuse(reply, request, 400, 'BAD_REQUEST', 'Send X-Requested-With with a session cookie.');
    }
    const { orgnr, from, to } = request.query as Record<string, unknown>;
    if (typeof orgnr !== 'string' || !ORGNR.test(orgnr))
      return refuse(
        reply,
        request,
        400,
        'BAD_USER_INPUT',
        'orgnr must be an organisation number (9 digits).',
      );
    if (typeof from !== 'string' || !DATE_TIME.test(from) || typeof to !== 'string' || !DATE_TIME.test(to))
      return refuse(reply, request, 400, 'BAD_USER_INPUT', 'from and to must be ISO 8601 date-times.');

    const url = new URL(exportUrl);
    url.search = new URLSearchParams({ orgnr, from, to }).toString();
    const token = options.signer.tokenFor(request.gatewayPrincipal!, 'audit', request.id);
    return new Promise<void>((resolve) => {
      const upstream = http.request(url, {
        method: 'GET',
        agent,
        headers: { authorization: `Bearer ${token}`, accept: 'application/x-ndjson' },
      });
      let streaming = false;
      const unavailable = (failure: string, cause?: unknown, status?: number) => {
        // Once the body flows, `pipeline` owns both ends and says how the stream ended.
        if (streaming) return;
        clearTimeout(deadline);
        upstream.destroy();
        request.log.warn({ err: cause, subgraph: 'audit', failure, status }, 'audit export unavailable');
        if (!reply.sent && !reply.raw.headersSent) {
          void reply.header('retry-after', String(options.calls.retryAfterSeconds));
          void refuse(reply, request, 503, 'SERVICE_UNAVAILABLE', SUBGRAPH_UNAVAILABLE_MESSAGE);
        }
        resolve();
      };
      const deadline = setTimeout(() => unavailable('response timeout'), options.calls.timeoutMs);
      upstream.on('socket', (socket) => {
        if (!socket.connecting) return;
        const connect = setTimeout(() => unavailable('connect timeout'), options.calls.connectTimeoutMs);
        socket.once('connect', () => clearTimeout(connect));
        socket.once('close', () => clearTimeout(connect));
      });
      upstream.on('error', (error) => unavailable('network error', error));
      upstream.on('response', (response) => {
        clearTimeout(deadline);
        if (response.statusCode !== 200) return relayRefusal(response);
        // From here the body flows through as it comes; a cut on either side cuts the other.
        streaming = true;
        void reply.hijack();
        reply.raw.writeHead(200, {
          'x-request-id': request.id,
          'content-type': 'application/x-ndjson; charset=utf-8',
          'cache-control': 'no-store',
        });
        pipeline(response, reply.raw, (error) => {
          if (error) request.log.info({ reason: error.message }, 'audit export stream ended early');
          resolve();
        });
      });
      upstream.end();

      /** The subgraph's own refusal (it carries this request's id, signed into the token), or unavailable. */
      function relayRefusal(response: http.IncomingMessage) {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ERROR_BODY) return unavailable('bad body');
          chunks.push(chunk);
        });
        response.on('error', (error) => unavailable('network error', error));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { errors?: unknown };
            if (RELAYED.has(status) && Array.isArray(body.errors)) {
              void reply.code(status).send(body);
              return resolve();
            }
          } catch {
            // Not JSON: not a refusal of ours.
          }
          unavailable('bad status', undefined, status);
        });
      }
    });
  });
}
