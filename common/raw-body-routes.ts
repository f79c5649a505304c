// Routes whose body is raw bytes of any type, streamed by the handler from request.raw (document content), beside
// the JSON-only routes of common/http-server.ts. They live in their own encapsulated fastify scope whose one
// content-type parser accepts anything and reads nothing, so the body is neither buffered nor bounded by
// MAX_BODY_BYTES here (the handler bounds it as it streams); outside the scope the JSON-only parsing and its 415
// stay exactly as they were.
import type { FastifyInstance } from 'fastify';

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
