// The gateway's HTTP server: the only public door. Authenticates every GraphQL request before its body is read,
// serves the caller-token JWKS for subgraphs, a health check and the query page.
import type { ApolloServer } from '@apollo/server';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../access/principal.ts';
import { errorBody } from '../common/errors.ts';
import { mountGraphQL } from '../common/graphql-route.ts';
import { createHttpServer } from '../common/http-server.ts';
import type { Logger } from '../common/logger.ts';
import type { Authenticator } from './authenticate.ts';
import type { CallerTokenSigner } from './caller-token.ts';
import type { GatewayContext } from './context.ts';
import { registerQueryPage } from './query-page.ts';

export interface GatewayServerOptions {
  apollo: ApolloServer<GatewayContext>;
  authenticator: Authenticator;
  signer: CallerTokenSigner;
  logger: Logger;
  maxBodyBytes: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    gatewayPrincipal?: Principal;
  }
}

export function createGatewayServer(options: GatewayServerOptions): FastifyInstance {
  const { apollo, authenticator, signer } = options;
  const app = createHttpServer({ logger: options.logger, maxBodyBytes: options.maxBodyBytes });
  app.addHook('onClose', () => apollo.stop());

  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/.well-known/caller-jwks.json', (_, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(signer.jwks),
  );
  registerQueryPage(app);

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== '/graphql') return;
    const principal = await authenticator.authenticate(request);
    if (!principal) {
      return reply.code(401).send(errorBody('UNAUTHENTICATED', 'Authentication is required.', request.id));
    }
    request.gatewayPrincipal = principal;
  });

  mountGraphQL(app, apollo, (request) =>
    Promise.resolve({ requestId: request.id, principal: request.gatewayPrincipal!, log: request.log }),
  );
  return app;
}
