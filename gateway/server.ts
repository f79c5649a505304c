// The gateway's HTTP server: the only public door. Authenticates every GraphQL request before its body is read,
// serves the caller-token JWKS for subgraphs, liveness (/healthz), readiness (/readyz), the explorer (/explorer, and
// `/` leading there) and what the explorer shows of the browser session (/auth/me). At the door, in this order:
// security headers and CORS (every answer, preflights), authentication, then the rate limit, which counts against
// the principal authentication found (or the client address).
import type { Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../access/principal.ts';
import { errorBody } from '../common/errors.ts';
import { mountGraphQL } from '../common/graphql-route.ts';
import { createHttpServer } from '../common/http-server.ts';
import { registerReadiness, type ReadinessCheck } from '../common/readiness.ts';
import type { Logger } from '../common/logger.ts';
import { AuthError } from './auth/auth-error.ts';
import type { Authenticator } from './auth/authenticate.ts';
import { registerAccessLogPage } from './access-log-page.ts';
import { registerCors } from './cors.ts';
import { createRateLimiter } from './rate-limit/index.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import type { RateLimitSettings } from '../common/config.ts';
import type { CallerTokenSigner } from './caller-token-signer.ts';
import type { GatewayContext } from './context.ts';
import { registerExplorer } from './explorer.ts';
import { registerWhoAmI } from './who-am-i.ts';

export interface GatewayServerOptions {
  apollo: ApolloServer<GatewayContext>;
  authenticator: Authenticator;
  signer: CallerTokenSigner;
  logger: Logger;
  maxBodyBytes: number;
  /** Proxies whose X-Forwarded-For names the client (TRUST_PROXY). */
  trustProxy?: string;
  /** What `/readyz` checks: the database and each subgraph. */
  readiness: { checks: readonly ReadinessCheck[]; timeoutMs: number };
  /** Extra routes, e.g. browser login (gateway/session). */
  registerRoutes?: (app: FastifyInstance) => Promise<void>;
  /** A server that already listens (see common/listen.ts). */
  server?: Server;
  /** Rate limits per principal (gateway/rate-limit/); gateway/index.ts always passes them.
   * @default none (a server built alone in a test) */
  rateLimit?: { settings: RateLimitSettings; personKeySecret: Buffer };
  /** Browsers reach the gateway over HTTPS: send HSTS. @default false */
  https?: boolean;
  /** Origins whose pages may call the gateway with credentials (CORS_ORIGINS). @default [] */
  corsOrigins?: readonly string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    gatewayPrincipal?: Principal;
  }
  interface FastifyContextConfig {
    /** The route authenticates its caller exactly as /graphql does (e.g. the audit export). */
    authenticate?: boolean;
  }
}

export async function createGatewayServer(options: GatewayServerOptions): Promise<FastifyInstance> {
  const { apollo, authenticator, signer } = options;
  const app = createHttpServer({
    logger: options.logger,
    maxBodyBytes: options.maxBodyBytes,
    server: options.server,
    trustProxy: options.trustProxy,
  });
  app.addHook('onClose', () => apollo.stop());
  await registerSecurityHeaders(app, { https: options.https ?? false });
  await registerCors(app, options.corsOrigins ?? []);
  const rateLimiter = options.rateLimit
    ? await createRateLimiter(app, { ...options.rateLimit, log: options.logger })
    : undefined;

  // The cheapest answer there is, asked by orchestrators every few seconds: not counted.
  app.get('/healthz', { config: { rateLimit: false } }, () => ({ status: 'ok' }));
  registerReadiness(
    app,
    [...options.readiness.checks, ...(rateLimiter?.readiness ?? [])],
    options.readiness.timeoutMs,
  );
  app.get('/.well-known/caller-jwks.json', (_, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(signer.jwks),
  );
  registerExplorer(app);
  registerWhoAmI(app, authenticator);
  registerAccessLogPage(app);
  if (options.registerRoutes) await options.registerRoutes(app);

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== '/graphql' && request.routeOptions.config.authenticate !== true) return;
    try {
      request.gatewayPrincipal = await authenticator.authenticate(request);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      // A refused authentication counts against the client address (there is no principal), like everything else
      // not authenticated: guessing tokens or passwords spends the address's budget, and past it is answered 429
      // before the refusal's own answer.
      if (rateLimiter) {
        await rateLimiter.hook.call(app, request, reply);
        if (reply.sent) return reply;
      }
      // A busy refusal is the bound working, one per flooding request: not worth a warning each.
      if (error.code === 'AUTHENTICATION_BUSY') request.log.debug('authentication busy');
      else if (error.status === 503)
        request.log.warn({ err: error.cause ?? error }, 'authentication unavailable');
      if (error.status === 401) void reply.header('www-authenticate', 'Bearer');
      if (error.retryAfterSeconds !== undefined)
        void reply.header('retry-after', String(error.retryAfterSeconds));
      return reply
        .code(error.status)
        .send(errorBody(error.code, error.message, request.id, error.extensions));
    }
  });
  // After authentication: the rate limit's key is the principal it found.
  if (rateLimiter) app.addHook('onRequest', rateLimiter.hook);

  mountGraphQL(app, apollo, (request) =>
    Promise.resolve({
      requestId: request.id,
      principal: request.gatewayPrincipal!,
      log: request.log,
      integrationOperations: request.integrationOperations,
      trustedOperation: request.trustedOperation,
    }),
  );
  return app;
}
