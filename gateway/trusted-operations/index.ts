// Trusted operations (issue #12): integrations run only operations registered in advance; persons' frontends are
// held to a mode of their own. The pieces: manifest.ts reads Apollo's and graphql-codegen's manifests and refuses one
// that lies; operation-list.ts keeps a list parsed once; global-list.ts loads schema/operations/ and reloads it on
// change; integration-lists.ts caches each integration's list per version; resolve.ts decides; plugin.ts applies
// it to each request; apq-cache.ts takes APQ's place; pinned-cache.ts keeps their documents and plans. gateway/index.ts wires it with one line.
import { fileURLToPath } from 'node:url';
import type { GatewayConfig } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../common/config.ts';
import type { Logger } from '../../common/logger.ts';
import type { Queryable } from '../../db/database.ts';
import type { GatewayContext } from '../context.ts';
import { TrustedTexts } from './apq-cache.ts';
import { createGlobalList } from './global-list.ts';
import { createIntegrationLists } from './integration-lists.ts';
import { PinningCache } from './pinned-cache.ts';
import { registerTrustedOperations, trustedOperationsPlugin } from './plugin.ts';

/** A query plan, as @apollo/gateway's plan cache holds it. */
type QueryPlan = NonNullable<
  Awaited<ReturnType<NonNullable<NonNullable<GatewayConfig['queryPlannerConfig']>['cache']>['get']>>
>;

/** The global list's folder when OPERATIONS_DIR is unset. */
export const DEFAULT_OPERATIONS_DIR = fileURLToPath(new URL('../../schema/operations/', import.meta.url));

export interface TrustedOperations {
  plugin: ApolloServerPlugin<GatewayContext>;
  /** Adds the preHandler that admits or refuses each /graphql request. */
  register(app: FastifyInstance): void;
  /** Apollo Server's `persistedQueries` option: APQ, read-only over the trusted operations. */
  persistedQueries: { cache: TrustedTexts };
  /** Apollo Server's document store and @apollo/gateway's plan cache, each keeping trusted operations pinned. */
  documentStore: PinningCache<DocumentNode>;
  queryPlanCache: PinningCache<QueryPlan>;
}

export function createTrustedOperations(config: Config, db: Queryable, logger: Logger): TrustedOperations {
  const settings = config.trustedOperations;
  const log = logger.child({ component: 'trusted-operations' });
  const texts = new TrustedTexts();
  const options = {
    global: createGlobalList({
      directory: settings.directory ?? DEFAULT_OPERATIONS_DIR,
      checkIntervalMs: settings.checkIntervalMs,
      ceiling: settings.ceiling,
      logger: log,
    }),
    integrations: createIntegrationLists(db, settings.ceiling, log),
    texts,
    personMode: settings.personMode,
  };
  return {
    plugin: trustedOperationsPlugin(),
    register: (app) => registerTrustedOperations(app, options),
    persistedQueries: { cache: texts },
    documentStore: new PinningCache<DocumentNode>((id) => texts.has(id)),
    queryPlanCache: new PinningCache<QueryPlan>((id) => texts.has(id)),
  };
}
