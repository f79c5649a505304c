// The HTTP frame shared by the gateway and every subgraph: fastify with our own request ids, a body limit, JSON
// only, and every failure before GraphQL execution answered as a GraphQL error body with a stable code and the
// request id. Fastify is used rather than bare node:http for its tested body parsing, limits and hooks.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TlsOptions } from 'node:tls';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { errorBody, type ErrorCode } from './errors.ts';
import type { Logger } from './logger.ts';

export interface HttpServerOptions {
  logger: Logger;
  maxBodyBytes: number;
  /** A node server that already listens: its address is known before the app is built (the gateway's login
   * callback URL must be registered at the identity provider first). Call app.ready(), not listen(). */
  server?: Server;
  /** Proxies whose X-Forwarded-For names the client (request.ip); undefined: none, the socket's address. */
  trustProxy?: string;
  /** Serve HTTPS with this certificate and key (PEM) on the server fastify makes (a subgraph's
   * SUBGRAPH_TLS_CERT_FILE); the gateway passes its own `server` instead (common/listen.ts). */
  https?: HttpsServerOptions;
}

/** What a server fastify makes may be given for HTTPS: its certificate, and client certificates asked for. */
export type HttpsServerOptions = Pick<
  TlsOptions,
  'cert' | 'key' | 'ca' | 'requestCert' | 'rejectUnauthorized'
>;

const FASTIFY_CODES: Record<string, [number, ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'BAD_REQUEST', 'The request body is not valid JSON.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'BAD_REQUEST', 'The request body is empty.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request as application/json.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'BAD_REQUEST', 'The Content-Length does not match the body.'],
  FST_ERR_CTP_INVALID_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request as application/json.'],
};

export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    // The cast keeps FastifyInstance's default logger type, so routes and hooks type-check against it.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: options.logger as FastifyBaseLogger,
    // Our own ids: a caller-supplied id could forge or flood log correlation.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: options.maxBodyBytes,
    // Only the configured proxies: believing any X-Forwarded-For would let a caller pick the address it is counted,
    // backed off and audited under.
    trustProxy: options.trustProxy ?? false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
    clientErrorHandler(error: Error & { code?: string }, socket: Socket) {
      answerClientError(error, socket, options.logger);
    },
    ...(options.server
      ? {
          serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) =>
            options.server!.on('request', handler),
        }
      : {}),
    // An https.Server serves requests exactly as an http.Server does (it is one over TLS sockets), so the instance
    // keeps the default (http) type: routes and hooks use only that common surface.
    ...(options.https ? { https: options.https } : {}),
  }) as unknown as FastifyInstance;

  // JSON is the only body we accept; text/plain would let a browser send a "simple" cross-site request.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) {
      const [status, code, message] = known;
      return reply.code(status).send(errorBody(code, message, request.id));
    }
    if (error.validation) {
      return reply
        .code(400)
        .send(errorBody('BAD_REQUEST', 'The request body has an unexpected shape.', request.id));
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return reply
        .code(error.statusCode)
        .send(errorBody('BAD_REQUEST', 'The request was not understood.', request.id));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(errorBody('INTERNAL_SERVER_ERROR', 'Internal server error.', request.id));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody('NOT_FOUND', 'No such route.', request.id)),
  );

  return app;
}

/**
 * What the HTTP parser refuses before fastify has a request (oversized headers, garbage, a request not complete in
 * time) is answered in the same shape as everything else: a code and a fresh request id, also logged, so even this
 * refusal can be found. Then the connection is closed, as Node does: the parser cannot continue on it.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket, logger: Logger): void {
  // A reset connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'REQUEST_HEADERS_TOO_LARGE', 'The request headers are too large.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'The request was not completed in time.']
        : [400, 'BAD_REQUEST', 'The request is not valid HTTP.'];
  const requestId = randomUUID();
  logger.debug({ reqId: requestId, errorCode: error.code }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(errorBody(code, message, requestId));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
