// A call to a subgraph's own HTTP endpoint (not GraphQL) whose bodies stream through the gateway without being
// held: the audit export (gateway/audit-export.ts) and document content (gateway/document-content.ts). The caller
// is authenticated already (server.ts's hook); the subgraph gets a caller token for this principal and request, as
// every subgraph call does, and decides itself what the caller may do.
//
// node:http with a keep-alive Agent (undici's lower cost per call, which moved the GraphQL calls to it in
// subgraph-http.ts, matters little for a few long streams), and streams joined by backpressure: a slow reader
// slows the subgraph, a slow subgraph slows the uploader. Whichever side goes away cuts the other: a caller who
// leaves mid-upload aborts the subgraph's request (so it discards the partial upload), a caller who leaves
// mid-download closes the subgraph's connection, and a subgraph that dies mid-download cuts the caller's connection
// rather than ending it cleanly, so a partial download is never mistaken for a whole one.
import http from 'node:http';
import https from 'node:https';
import { finished, pipeline, Transform, type TransformCallback } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { discardRequestBody } from '../common/raw-body-routes.ts';
import type { SubgraphName } from '../common/subgraph-names.ts';
import type { CallerTokenSigner } from './caller-token-signer.ts';
import { SUBGRAPH_UNAVAILABLE_MESSAGE } from './subgraph-data-source.ts';
import type { SubgraphHttpOptions } from './subgraph-http.ts';
import { refuse } from '../common/http-refusal.ts';

/** connectTimeoutMs bounds reaching the subgraph, timeoutMs its first answer once the caller's body (if any) is
 * all sent; the stream itself has no deadline. retryAfterSeconds is the Retry-After of a 503, as for GraphQL. */
export type SubgraphStreamCalls = Pick<SubgraphHttpOptions, 'connectTimeoutMs' | 'timeoutMs' | 'tls'> & {
  retryAfterSeconds: number;
};

export interface SubgraphStreamOptions {
  method: 'GET' | 'PUT' | 'POST';
  url: URL;
  /** The subgraph the caller token is for (its audience). */
  subgraph: SubgraphName;
  signer: CallerTokenSigner;
  /** One keep-alive agent per route, made once, of the URL's protocol (subgraph-tls.ts subgraphAgent). */
  agent: http.Agent;
  calls: SubgraphStreamCalls;
  /** What the log calls this call, e.g. 'audit export'. */
  label: string;
  /** Headers of the caller's request passed on when present (lower-case names). Never `authorization` or
   * `cookie`: the subgraph trusts the caller token, nothing the caller sent. */
  forwardHeaders?: readonly string[];
  /** Headers the gateway sets on the call itself (e.g. accept). */
  headers?: Readonly<Record<string, string>>;
  /** Stream the caller's body (request.raw, unread) to the subgraph, at most maxBytes of it: a Content-Length above
   * it is refused before the subgraph is called, a body growing past it aborts the subgraph's request. */
  body?: { maxBytes: number };
  /** The subgraph's answers whose body streams through to the caller, status kept. */
  streamStatuses: ReadonlySet<number>;
  /** Response headers passed on with a streamed answer, when the subgraph sends them (lower-case names). */
  relayHeaders?: readonly string[];
  /** Headers a streamed answer carries whatever the subgraph said, given those relayed; `undefined` drops one. */
  responseHeaders?: (relayed: Record<string, string>) => Record<string, string | undefined>;
  /** The subgraph's own refusals: a JSON error body ({ errors: [...] }) with one of these statuses reaches the
   * caller as it is. Any other answer is the platform failing, and the caller is told only that (503). */
  relayErrorStatuses: ReadonlySet<number>;
  /** Response headers kept on a relayed refusal (e.g. content-range of a 416, retry-after of a 503). */
  relayErrorHeaders?: readonly string[];
  /** Changes a relayed refusal before it is sent (e.g. step-up adds where to log in). */
  amendError?: (body: RelayedErrorBody, status: number) => void;
}

/** A refusal as the subgraph wrote it; only `errors` being an array is checked. */
export interface RelayedErrorBody {
  errors: { message?: unknown; extensions?: Record<string, unknown> }[];
}

/** Error bodies are small; a longer one is not ours. */
const MAX_ERROR_BODY = 16_384;
const TOO_LARGE_MESSAGE = 'The request body is too large.';

/** Raised inside the body's stream when it grows past its limit. */
class BodyTooLarge extends Error {}

/** Counts the caller's body on its way through and fails it past `maxBytes`, before that chunk is passed on. */
function byteLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes) return callback(new BodyTooLarge('body over limit'));
      callback(null, chunk);
    },
  });
}

/** The caller's Content-Length, if it sent a well-formed one. */
function declaredLength(request: FastifyRequest): number | undefined {
  const header = request.headers['content-length'];
  return typeof header === 'string' && /^\d{1,20}$/.test(header) ? Number(header) : undefined;
}

function pick(
  headers: http.IncomingHttpHeaders,
  names: readonly string[] | undefined,
): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names ?? []) {
    const value = headers[name];
    if (typeof value === 'string') picked[name] = value;
  }
  return picked;
}

/**
 * Answers `request` with the subgraph's answer to the same call. Resolves once the answer is decided (sent,
 * streaming to its end, or the caller gone); never rejects. The caller must be authenticated
 * (request.gatewayPrincipal set; a 500 otherwise).
 */
export function streamThroughSubgraph(
  request: FastifyRequest,
  reply: FastifyReply,
  options: SubgraphStreamOptions,
): Promise<void> {
  const { calls, label, subgraph } = options;
  const principal = request.gatewayPrincipal;
  if (!principal) {
    // The route was registered where the authentication hook does not reach it: fail closed, never call anonymously.
    request.log.error({ subgraph }, `${label}: route not authenticated`);
    refuse(reply, request, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
    return Promise.resolve();
  }
  const body = options.body;
  if (body) {
    const length = declaredLength(request);
    if (length !== undefined && length > body.maxBytes) {
      // Answered before a byte of the body is read; what the client sends meanwhile is dropped, not passed on.
      discardRequestBody(request);
      refuse(reply, request, 413, 'PAYLOAD_TOO_LARGE', TOO_LARGE_MESSAGE);
      return Promise.resolve();
    }
  }

  const token = options.signer.tokenFor(principal, subgraph, request.id);
  const headers: Record<string, string> = {
    ...pick(request.headers, options.forwardHeaders),
    ...options.headers,
    authorization: `Bearer ${token}`,
  };

  return new Promise<void>((resolve) => {
    const send = options.url.protocol === 'https:' ? https.request : http.request;
    const upstream = send(options.url, { method: options.method, agent: options.agent, headers });
    /** The answer is decided: every later event only cleans up. */
    let settled = false;
    let deadline: NodeJS.Timeout | undefined;
    let limiter: Transform | undefined;
    let bodySent = !body;

    const settle = () => {
      settled = true;
      clearTimeout(deadline);
      resolve();
    };
    const canAnswer = () => !settled && !reply.sent && !reply.raw.headersSent;

    const unavailable = (failure: string, cause?: unknown, status?: number) => {
      if (settled) return;
      upstream.destroy();
      stopReadingBody();
      request.log.warn({ err: cause, subgraph, failure, status }, `${label} unavailable`);
      if (canAnswer()) {
        void reply.header('retry-after', String(calls.retryAfterSeconds));
        refuse(reply, request, 503, 'SERVICE_UNAVAILABLE', SUBGRAPH_UNAVAILABLE_MESSAGE);
      }
      settle();
    };

    /** The caller's body is no longer wanted: stop passing it on, and drop what still comes. */
    function stopReadingBody() {
      if (!body || bodySent) return;
      bodySent = true;
      request.raw.unpipe(limiter);
      limiter?.destroy();
      discardRequestBody(request);
    }

    const startDeadline = () => {
      if (settled) return;
      deadline = setTimeout(() => unavailable('response timeout'), calls.timeoutMs);
    };

    upstream.on('socket', (socket) => {
      if (!socket.connecting) return;
      const connect = setTimeout(() => unavailable('connect timeout'), calls.connectTimeoutMs);
      socket.once('connect', () => clearTimeout(connect));
      socket.once('close', () => clearTimeout(connect));
    });
    // Once the subgraph has answered, the answer's own stream reports a cut; a refusal sent before the whole body
    // was taken ends in a failed write (EPIPE) that must not turn the refusal into a 503.
    let answered = false;
    upstream.on('error', (error) => {
      if (!answered) unavailable('network error', error);
    });
    upstream.on('response', onResponse);

    if (body) {
      limiter = byteLimit(body.maxBytes);
      // Not `pipeline(request.raw, …)`: on failure it would destroy request.raw, and with it the socket a 413
      // still has to go out on.
      request.raw.pipe(limiter);
      finished(request.raw, (error) => {
        if (error && !bodySent) limiter!.destroy(error);
      });
      pipeline(limiter, upstream, (error) => {
        if (!error) return;
        // The subgraph's request is destroyed by now: it sees the cut and keeps nothing of the body.
        if (error instanceof BodyTooLarge) return tooLarge();
        if (!bodySent) callerGone(error);
      });
      // The first-answer deadline starts once the subgraph has the whole body: an upload takes as long as it takes.
      upstream.once('finish', () => {
        bodySent = true;
        startDeadline();
      });
    } else {
      upstream.end();
      startDeadline();
    }

    function tooLarge() {
      if (settled) {
        // Already answering (the subgraph answered before the body was all sent): cut rather than end cleanly.
        if (reply.raw.headersSent && !reply.raw.writableEnded) reply.raw.destroy();
        return;
      }
      upstream.destroy();
      stopReadingBody();
      request.log.info({ subgraph, maxBytes: body!.maxBytes }, `${label} body over limit`);
      if (canAnswer()) refuse(reply, request, 413, 'PAYLOAD_TOO_LARGE', TOO_LARGE_MESSAGE);
      settle();
    }

    function callerGone(error: Error) {
      if (settled) return;
      upstream.destroy();
      request.log.info({ subgraph, reason: error.message }, `${label}: caller went away`);
      // Nobody to answer; fastify must not try to either.
      void reply.hijack();
      settle();
    }

    function onResponse(response: http.IncomingMessage) {
      answered = true;
      clearTimeout(deadline);
      if (settled) {
        response.destroy();
        return;
      }
      const status = response.statusCode ?? 0;
      if (!options.streamStatuses.has(status)) return relayRefusal(response, status);
      // From here the body flows through as it comes; a cut on either side cuts the other.
      settled = true;
      void reply.hijack();
      const relayed = pick(response.headers, options.relayHeaders);
      const own = options.responseHeaders?.(relayed) ?? {};
      const outgoing: Record<string, string> = { ...relayed, 'x-request-id': request.id };
      for (const [name, value] of Object.entries(own)) {
        if (value === undefined) delete outgoing[name];
        else outgoing[name] = value;
      }
      reply.raw.writeHead(status, outgoing);
      pipeline(response, reply.raw, (error) => {
        if (error) request.log.info({ subgraph, reason: error.message }, `${label} stream ended early`);
        resolve();
      });
    }

    /** The subgraph's own refusal (it carries this request's id, signed into the token), or unavailable. */
    function relayRefusal(response: http.IncomingMessage, status: number) {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ERROR_BODY) return unavailable('bad body', undefined, status);
        chunks.push(chunk);
      });
      response.on('error', (error) => unavailable('network error', error, status));
      response.on('end', () => {
        if (settled) return;
        let refusal: RelayedErrorBody | undefined;
        try {
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { errors?: unknown };
          if (options.relayErrorStatuses.has(status) && Array.isArray(parsed.errors))
            refusal = parsed as RelayedErrorBody;
        } catch {
          // Not JSON: not a refusal of ours.
        }
        if (!refusal) return unavailable('bad status', undefined, status);
        // A refusal before the whole body was sent ends the upload: the subgraph wants no more of it.
        if (!bodySent) {
          stopReadingBody();
          upstream.destroy();
        }
        options.amendError?.(refusal, status);
        if (canAnswer()) {
          void reply.headers(pick(response.headers, options.relayErrorHeaders));
          if (status === 503 && !reply.hasHeader('retry-after'))
            void reply.header('retry-after', String(calls.retryAfterSeconds));
          void reply.code(status).send(refusal);
        }
        settle();
      });
    }
  });
}
