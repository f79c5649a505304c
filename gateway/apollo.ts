// The gateway's Apollo Server: Apollo Gateway over the checked-in supergraph, each subgraph reached at the URL from
// configuration. It never phones home: telemetry is switched off before ApolloGateway exists, and usage and schema
// reporting are disabled whatever APOLLO_KEY the environment may hold.
import { ApolloGateway, type GatewayConfig } from '@apollo/gateway';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode, ParseOptions } from 'graphql';
import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { errorLoggingPlugin } from '../common/error-logging.ts';
import { formatError, requestIdPlugin } from '../common/graphql-errors.ts';
import type { Logger } from '../common/logger.ts';
import { isSubgraphName, type SubgraphName } from '../common/subgraph-names.ts';
import type { CallerTokenSigner } from './caller-token-signer.ts';
import type { GatewayContext } from './context.ts';
import { SubgraphDataSource } from './subgraph-data-source.ts';
import { createSubgraphFetch, type SubgraphHttpOptions } from './subgraph-http.ts';

/** @apollo/gateway's plan cache, as its configuration types it. */
type QueryPlanCache = NonNullable<NonNullable<GatewayConfig['queryPlannerConfig']>['cache']>;

export interface GatewayApolloOptions {
  subgraphUrls: Record<SubgraphName, string>;
  /** Timeouts of subgraph calls (gateway/subgraph-http.ts). */
  subgraphCalls: SubgraphHttpOptions;
  signer: CallerTokenSigner;
  logger: Logger;
  /** The supergraph SDL (schema/supergraph.graphql). */
  supergraphSdl: string;
  /** The request-time concerns, in order (gateway/plugins/index.ts). */
  plugins: ApolloServerPlugin<GatewayContext>[];
  /** Parser limits (graphql's maxTokens), from gateway/plugins/index.ts. @default {} */
  parseOptions?: ParseOptions;
  /** Apollo's persisted queries, read-only over the trusted operations (gateway/trusted-operations/apq-cache.ts).
   * @default false (no client registers text by hash) */
  persistedQueries?: ApolloServerOptions<GatewayContext>['persistedQueries'];
  /** Apollo Server's parsed-and-validated documents (trusted operations pinned: trusted-operations/pinned-cache.ts).
   * @default Apollo's own LRU */
  documentStore?: KeyValueCache<DocumentNode>;
  /** @apollo/gateway's query plans, likewise. @default the gateway's own LRU */
  queryPlanCache?: QueryPlanCache;
  /** What to do once a subgraph has run a mutation, before the caller is answered (the integrations subgraph's
   * clear the credential cache: gateway/auth/credential-cache.ts). @default {} */
  afterMutation?: Partial<Record<SubgraphName, () => void>>;
}

export async function createGatewayApollo(
  options: GatewayApolloOptions,
): Promise<ApolloServer<GatewayContext>> {
  // @apollo/gateway 2.14+ reports usage and probes cloud metadata addresses unless this is set; set it ourselves,
  // whatever version is installed, before the gateway is constructed.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const subgraphFetch = createSubgraphFetch(options.subgraphCalls);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    queryPlannerConfig: options.queryPlanCache ? { cache: options.queryPlanCache } : {},
    logger: options.logger.child({ component: 'apollo-gateway' }),
    buildService: ({ name }) => {
      if (!isSubgraphName(name)) throw new Error(`supergraph names an unknown subgraph: ${name}`);
      return new SubgraphDataSource(
        name,
        options.subgraphUrls[name],
        options.signer,
        subgraphFetch,
        options.afterMutation?.[name],
      );
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: false,
    // Apollo's own default ties introspection to NODE_ENV; here the authorization walk decides who may introspect
    // (plugins/introspection.ts), and field suggestions are hidden in production by plugins/hide-suggestions.ts.
    introspection: true,
    // Apollo's default since v4, set here so that it cannot be lost: a GET, or a POST of a type a cross-site form can
    // send, runs only with a header such a form cannot set (apollo-require-preflight, x-apollo-operation-name).
    csrfPrevention: true,
    // bin/run.ts stops everything in order on SIGINT/SIGTERM; Apollo's own handlers would race it.
    stopOnTerminationSignals: false,
    logger: options.logger.child({ component: 'apollo' }),
    // The token limit must hold while parsing: a plugin sees the document only once it is parsed.
    parseOptions: options.parseOptions ?? {},
    persistedQueries: options.persistedQueries ?? false,
    ...(options.documentStore ? { documentStore: options.documentStore } : {}),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ...options.plugins,
      requestIdPlugin(),
      errorLoggingPlugin(),
    ],
  });
  await apollo.start();
  return apollo;
}
