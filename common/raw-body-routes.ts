// Routes whose body is raw bytes of any type, streamed by the handler from request.raw (document content), beside
// the JSON-only routes of common/http-server.ts. They live in their own encapsulated fastify scope whose one
// content-type parser accepts anything and reads nothing, so the body is neither buffered nor bounded by
// MAX_BODY_BYTES here (the handler bounds it as it streams); outside the scope the JSON-only parsing and its 415
// stay exactly as they were.
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Registers `routes` in a scope of `app` where any request body (of any content type, or none named) is left
 * unread in request.raw for the handler to stream. Hooks and decorations of `app` apply inside as usual.
 */
export function registerRawBodyRoutes(app: FastifyInstance, routes: (scope: FastifyInstance) => void): void {
  // Not awaited: the scope loads with the app's other plugins at ready(), after hooks the app adds later (the
  // gateway's authentication hook among them), so those apply to its routes too.
  void app.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    // '*' also catches a body sent without a Content-Type. The parser returns at once: the stream stays unread.
    scope.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null));
    routes(scope);
    done();
  });
}

/** How much of a refused body is read and dropped before the connection is cut instead. */
export const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * For a request answered without its body (refused, too large, the subgraph gone): read the rest and drop it, so
 * the answer reaches a client still sending — closing with its bytes unread would reset the connection, and many
 * clients then report the reset instead of the answer (nginx's "lingering close"). Past `limitBytes` the
 * connection is cut: an unwanted body is not read without end. The connection stays usable if the body ends first.
 */
export function discardRequestBody(request: FastifyRequest, limitBytes = DISCARD_LIMIT_BYTES): void {
  const raw = request.raw;
  if (raw.complete) return;
  let dropped = 0;
  raw.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limitBytes) raw.socket.destroy();
  });
  raw.resume();
}
