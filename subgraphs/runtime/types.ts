// What every subgraph folder exports, and what its resolvers receive.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { DocumentNode } from 'graphql';
import type { Principal } from '../../access/principal.ts';
import type { SubgraphName } from '../../common/subgraph-names.ts';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from './database.ts';

export interface SubgraphContext<Store> {
  requestId: string;
  principal: Principal;
  store: Store;
  log: FastifyBaseLogger;
}

export interface SubgraphModule<Store> {
  name: SubgraphName;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<SubgraphContext<Store>>;
  /** Folder of this subgraph's NNN_name.sql migrations; they create and use the schema named like the subgraph. */
  migrations: URL;
  createStore(db: Db): Store;
  /** Loads synthetic demo data; must be idempotent. */
  seed(store: Store): Promise<void>;
}
