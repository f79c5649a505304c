// Assembles the gateway from configuration: caller-token signer, Apollo Gateway, HTTP server.
import type { FastifyInstance } from 'fastify';
import { ConfigError, type Config } from '../common/config.ts';
import type { Logger } from '../common/logger.ts';
import type { SubgraphName } from '../common/subgraph-names.ts';
import { createGatewayApollo } from './apollo.ts';
import { createAuthenticator } from './authenticate.ts';
import { createCallerTokenSigner, type CallerTokenSigner } from './caller-token.ts';
import { createGatewayServer } from './server.ts';

export interface Gateway {
  app: FastifyInstance;
  signer: CallerTokenSigner;
}

export async function buildGateway(
  config: Config,
  logger: Logger,
  subgraphUrls: Record<SubgraphName, string> = config.subgraphUrls,
  signer?: CallerTokenSigner,
): Promise<Gateway> {
  if (config.mode === 'production' && !config.callerToken.signingKey) {
    throw new ConfigError('CALLER_SIGNING_KEY: required in production');
  }
  const callerSigner =
    signer ??
    (await createCallerTokenSigner({
      signingKey: config.callerToken.signingKey,
      ttlSeconds: config.callerToken.ttlSeconds,
    }));
  const apollo = await createGatewayApollo({ subgraphUrls, signer: callerSigner, logger });
  const app = createGatewayServer({
    apollo,
    authenticator: createAuthenticator(config.mode),
    signer: callerSigner,
    logger,
    maxBodyBytes: config.maxBodyBytes,
  });
  return { app, signer: callerSigner };
}
