// The gateway's Apollo Server: Apollo Gateway over the checked-in supergraph, each subgraph reached at the URL from
// configuration. It never phones home: telemetry is switched off before ApolloGateway exists, and usage and schema
// reporting are disabled whatever APOLLO_KEY the environment may hold.
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { errorLoggingPlugin } from '../common/error-logging.ts';
import { formatError, requestIdPlugin } from '../common/graphql-errors.ts';
import type { Logger } from '../common/logger.ts';
import { isSubgraphName, type SubgraphName } from '../common/subgraph-names.ts';
import { SUPERGRAPH_FILE } from '../schema/supergraph-file.ts';
import type { CallerTokenSigner } from './caller-token.ts';
import type { GatewayContext } from './context.ts';
import { SubgraphDataSource } from './subgraph-data-source.ts';

export interface GatewayApolloOptions {
  subgraphUrls: Record<SubgraphName, string>;
  signer: CallerTokenSigner;
  logger: Logger;
  /** The supergraph SDL; default: schema/supergraph.graphql. */
  supergraphSdl?: string;
  /** Authorization before planning (gateway/plugins/authorization.ts). */
  authorization: ApolloServerPlugin<GatewayContext>;
  /** Where to log in at a higher level, on step-up errors (gateway/plugins/step-up.ts); only with browser login. */
  stepUp?: ApolloServerPlugin<GatewayContext>;
}

export async function createGatewayApollo(
  options: GatewayApolloOptions,
): Promise<ApolloServer<GatewayContext>> {
  // @apollo/gateway 2.14+ reports usage and probes cloud metadata addresses unless this is set; set it ourselves,
  // whatever version is installed, before the gateway is constructed.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readFileSync(SUPERGRAPH_FILE, 'utf8'),
    logger: options.logger.child({ component: 'apollo-gateway' }),
    buildService: ({ name }) => {
      if (!isSubgraphName(name)) throw new Error(`supergraph names an unknown subgraph: ${name}`);
      return new SubgraphDataSource(name, options.subgraphUrls[name], options.signer);
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: false,
    // bin/run.ts stops everything in order on SIGINT/SIGTERM; Apollo's own handlers would race it.
    stopOnTerminationSignals: false,
    logger: options.logger.child({ component: 'apollo' }),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      options.authorization,
      ...(options.stepUp ? [options.stepUp] : []),
      requestIdPlugin(),
      errorLoggingPlugin(),
    ],
  });
  await apollo.start();
  return apollo;
}
