// The baseline: a bare @apollo/gateway over the same supergraph and the same subgraphs, with nothing of ours but a
// static caller token per subgraph (the subgraphs refuse calls without one). It reaches the subgraphs over Node's
// global fetch like our gateway does, and is served by fastify through @as-integrations/fastify: the same HTTP
// framework as our gateway, so the difference measured is our gateway's own work, not fastify against node:http.
import { readFileSync } from 'node:fs';
import {
  ApolloGateway,
  RemoteGraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify from 'fastify';
import type { Logger } from '../common/logger.ts';
import { isSubgraphName, type SubgraphName } from '../common/subgraph-names.ts';
import { SUPERGRAPH_FILE } from '../schema/compose.ts';

type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;

class StaticTokenDataSource extends RemoteGraphQLDataSource {
  constructor(
    url: string,
    private readonly authorization: string,
  ) {
    super({ url, fetcher: fetch as unknown as Fetcher });
  }

  override willSendRequest({ request }: GraphQLDataSourceProcessOptions) {
    request.http?.headers.set('authorization', this.authorization);
  }
}

export interface BareGatewayOptions {
  subgraphUrls: Record<SubgraphName, string>;
  tokens: Record<SubgraphName, string>;
  logger: Logger;
}

export interface BareGateway {
  /** POST URL of its GraphQL endpoint. */
  url: string;
  stop(): Promise<void>;
}

export async function startBareGateway(options: BareGatewayOptions): Promise<BareGateway> {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    logger: options.logger,
    buildService: ({ name }) => {
      if (!isSubgraphName(name)) throw new Error(`supergraph names an unknown subgraph: ${name}`);
      return new StaticTokenDataSource(options.subgraphUrls[name], `Bearer ${options.tokens[name]}`);
    },
  });
  const app = Fastify();
  const apollo = new ApolloServer({
    gateway,
    logger: options.logger,
    plugins: [
      fastifyApolloDrainPlugin(app),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
    ],
  });
  await apollo.start();
  try {
    await app.register(fastifyApollo(apollo));
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    // apollo.stop() drains: it closes the fastify server too (fastifyApolloDrainPlugin).
    return { url: `${address}/graphql`, stop: () => apollo.stop() };
  } catch (error) {
    await apollo.stop();
    throw error;
  }
}
