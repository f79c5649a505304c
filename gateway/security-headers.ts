// Security headers on every answer of the gateway (issue #12 item 9), through @fastify/helmet: nosniff, frame
// denial, no referrer, same-origin resource and opener policies, and HSTS when the gateway is reached over HTTPS.
//
// The global Content-Security-Policy is the strictest there is — an API answer is never a page — and a page sets
// its own on its route (reply.header), which wins: helmet writes its headers onto the raw response, and headers
// given to writeHead override those (the explorer, the access-log page, document downloads' sandbox, the
// front-channel logout). A route that must be framed says so with `helmet: { frameguard: false }`.
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** One year, as HSTS preload lists ask; browsers remember the gateway is HTTPS-only for that long. */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

export interface SecurityHeaderOptions {
  /** Browsers reach the gateway over HTTPS (it serves TLS, or its public URL is https behind a TLS proxy). HSTS
   * is sent only then: over plain HTTP it would be ignored, and it must never pin a development host. */
  https: boolean;
}

export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: SecurityHeaderOptions,
): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
      },
    },
    strictTransportSecurity: options.https
      ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true }
      : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
