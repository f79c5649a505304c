// GET /audit/export?orgnr=&from=&to=: the audit log's streaming export (issue #10 item 9) at the public door. The
// caller is authenticated exactly as for /graphql (server.ts's hook, by the route's `authenticate` flag); this
// forwards to the audit subgraph's own /export with a caller token for the audit subgraph, as every subgraph call
// goes, and streams the answer through without holding it (gateway/subgraph-stream.ts): a slow reader slows the
// subgraph down (backpressure) and a reader who goes away stops it (the subgraph sees its connection close). The
// subgraph decides who may export and records the export (subgraphs/audit/export.ts).
import { subgraphAgent } from './subgraph-tls.ts';
import type { FastifyInstance } from 'fastify';
import type { CallerTokenSigner } from './caller-token-signer.ts';
import { streamThroughSubgraph, type SubgraphStreamCalls } from './subgraph-stream.ts';
import { refuse } from '../common/http-refusal.ts';

export const AUDIT_EXPORT_PATH = '/audit/export';

export interface AuditExportOptions {
  /** The audit subgraph's GraphQL URL; its export is `export` beside it, as its readiness is `readyz`. */
  auditUrl: string;
  signer: CallerTokenSigner;
  calls: SubgraphStreamCalls;
}

const ORGNR = /^\d{9}$/;
/** The shape of an ISO 8601 date-time; the subgraph checks that it is one. */
const DATE_TIME = /^[0-9T:.+\-Zz]{10,40}$/;
/** The subgraph's own answers about this export: bad input, not allowed, the audit log unable to record it
 * (AUDIT_UNAVAILABLE). Anything else — its door refusing our token included — is the platform failing, and the
 * caller is told only that. */
const RELAYED = new Set([400, 403, 503]);
const STREAMED = new Set([200]);

export function registerAuditExport(app: FastifyInstance, options: AuditExportOptions): void {
  const agent = subgraphAgent(options.auditUrl, options.calls.tls);
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
    return streamThroughSubgraph(request, reply, {
      method: 'GET',
      url,
      subgraph: 'audit',
      signer: options.signer,
      agent,
      calls: options.calls,
      label: 'audit export',
      headers: { accept: 'application/x-ndjson' },
      streamStatuses: STREAMED,
      responseHeaders: () => ({
        'content-type': 'application/x-ndjson; charset=utf-8',
        'cache-control': 'no-store',
      }),
      relayErrorStatuses: RELAYED,
    });
  });
}
