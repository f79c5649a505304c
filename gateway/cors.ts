// CORS (issue #12 item 9): only the origins in CORS_ORIGINS may call the gateway from their pages, and only they
// with credentials (the session cookie). Any other origin gets no CORS header at all — not even
// Access-Control-Allow-Credentials — and its preflight is not answered (404), so the browser refuses the request
// before it is sent. Same-origin pages (the gateway's own) need none of this.
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** What a browser client may send: the JSON body, a bearer token, the integration headers, acting for an
 * organisation, the upload's X-Requested-With, and Apollo's CSRF-prevention headers. */
const ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'integrasjonid',
  'integrasjonpassord',
  'fiks-act-for',
  'x-requested-with',
  'apollo-require-preflight',
  'x-apollo-operation-name',
];

export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  const allowed = new Set(origins);
  await app.register(cors, {
    // `false` for an origin not listed: the plugin then adds nothing and leaves the preflight unanswered.
    origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin) ? origin : false),
    credentials: true,
    methods: ['GET', 'POST', 'PUT'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: ['x-request-id', 'retry-after', 'ratelimit', 'ratelimit-policy'],
    maxAge: 600,
  });
}
