// The gateway's HTTP server: the only public door. Authenticates every GraphQL request before its body is read,
// serves the caller-token JWKS for subgraphs, liveness (/healthz), readiness (/readyz) and the query page.
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
import type { CallerTokenSigner } from './caller-token-signer.ts';
import type { GatewayContext } from './context.ts';
import { registerQueryPage } from './query-page.ts';

export interface GatewayServerOptions {
  apollo: ApolloServer<GatewayContext>;
  authenticator: Authenticator;
  signer: CallerTokenSigner;
  logger: Logger;
  maxBodyBytes: number;
  /** What `/readyz` checks: the database and each subgraph. */
  readiness: { checks: readonly ReadinessCheck[]; timeoutMs: number };
  /** Extra routes, e.g. browser login (gateway/session). */
  registerRoutes?: (app: FastifyInstance) => Promise<void>;
  /** A server that already listens (see common/listen.ts). */
  server?: Server;
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
  });
  app.addHook('onClose', () => apollo.stop());

  app.get('/healthz', () => ({ status: 'ok' }));
  registerReadiness(app, options.readiness.checks, options.readiness.timeoutMs);
  app.get('/.well-known/caller-jwks.json', (_, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(signer.jwks),
  );
  registerQueryPage(app);
  registerAccessLogPage(app);
  if (options.registerRoutes) await options.registerRoutes(app);

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== '/graphql' && request.routeOptions.config.authenticate !== true) return;
    try {
      request.gatewayPrincipal = await authenticator.authenticate(request);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
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
