// Assembles the gateway from configuration: who may call (authentication), the caller-token signer, Apollo Gateway,
// and the HTTP server. Optional parts (browser login, acting for an organisation) come from the caller, so that
// each stays in its own module.
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { ConfigError, type Config } from '../common/config.ts';
import type { Logger } from '../common/logger.ts';
import type { SubgraphName } from '../common/subgraph-names.ts';
import type { Db } from '../db/database.ts';
import { SUPERGRAPH_PERMISSIONS } from '../subgraphs/permissions.ts';
import { createGatewayApollo } from './apollo.ts';
import { authorizationPlugin } from './plugins/authorization.ts';
import { stepUpPlugin } from './plugins/step-up.ts';
import { createAuthenticator, type ActForResolver, type SessionAuthenticator } from './auth/authenticate.ts';
import { createIntegrationCheck } from './auth/integration-credentials.ts';
import { discoverIssuerKeys } from './auth/issuer-keys.ts';
import { createCallerTokenSigner, type CallerTokenSigner } from './caller-token.ts';
import { createGatewayServer } from './server.ts';

export interface GatewayParts {
  db: Db;
  subgraphUrls?: Record<SubgraphName, string>;
  signer?: CallerTokenSigner;
  sessions?: SessionAuthenticator & { register(app: FastifyInstance): Promise<void>; loginUrl: string };
  actFor?: ActForResolver;
  /** A server that already listens; the returned app is then ready, not listening itself. */
  server?: Server;
}

export interface Gateway {
  app: FastifyInstance;
  signer: CallerTokenSigner;
}

export async function buildGateway(config: Config, logger: Logger, parts: GatewayParts): Promise<Gateway> {
  if (config.mode === 'production' && !config.callerToken.signingKey) {
    throw new ConfigError('CALLER_SIGNING_KEY: required in production');
  }
  const signer =
    parts.signer ??
    (await createCallerTokenSigner({
      signingKey: config.callerToken.signingKey,
      ttlSeconds: config.callerToken.ttlSeconds,
    }));
  const { idporten, maskinporten } = config;
  const authenticator = createAuthenticator({
    idporten: idporten.issuer
      ? {
          keys: discoverIssuerKeys(idporten.issuer, 'openid-configuration'),
          audience: idporten.audience,
          acrMinimum: idporten.acrMinimum,
        }
      : undefined,
    maskinporten: maskinporten.issuer
      ? {
          keys: discoverIssuerKeys(maskinporten.issuer, 'oauth-authorization-server'),
          scope: maskinporten.scope,
        }
      : undefined,
    integrations: createIntegrationCheck(parts.db),
    sessions: parts.sessions,
    actFor: parts.actFor,
    loginUrl: parts.sessions?.loginUrl,
  });
  const apollo = await createGatewayApollo({
    subgraphUrls: parts.subgraphUrls ?? config.subgraphUrls,
    signer,
    logger,
    authorization: authorizationPlugin(SUPERGRAPH_PERMISSIONS, parts.db),
    stepUp: parts.sessions ? stepUpPlugin(parts.sessions.loginUrl) : undefined,
  });
  const app = await createGatewayServer({
    apollo,
    authenticator,
    signer,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    registerRoutes: parts.sessions ? (a) => parts.sessions!.register(a) : undefined,
    server: parts.server,
  });
  return { app, signer };
}
