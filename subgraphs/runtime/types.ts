// What every subgraph folder exports, and what its resolvers receive.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { DocumentNode } from 'graphql';
import type { AccessChecker } from '../../access/access-checker.ts';
import type { Principal } from '../../access/principal.ts';
import type { PermissionMap } from '../../access/permission-map.ts';
import type { SubgraphName } from '../../common/subgraph-names.ts';
import type { AuditLogSettings, DocumentStoreSettings } from '../../common/config.ts';
import type { Logger } from '../../common/logger.ts';
import type { ReadinessCheck } from '../../common/readiness.ts';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { AuditLog } from './audit.ts';
import type { PersonalDataOwners } from './personal-data.ts';
import type { PersonalDataReads } from './personal-data-reads.ts';

export interface SubgraphContext<Store> {
  requestId: string;
  principal: Principal;
  /** The caller's privileges, asked of the privilege store once per request. */
  access: AccessChecker;
  store: Store;
  /** The audit log, recording as this principal, this subgraph and this request. */
  audit: AuditLog;
  /** This request's reads of other persons' data, recorded by the audit plugin (personal-data-audit.ts). */
  personalData: PersonalDataReads;
  log: FastifyBaseLogger;
}

/** A request's context, as its GraphQL resolvers get it: for a subgraph's own routes (`SubgraphModule.routes`). */
export type ContextFor<Store> = (request: FastifyRequest) => SubgraphContext<Store>;

export interface SubgraphModule<Store> {
  name: SubgraphName;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<SubgraphContext<Store>>;
  /** The policy of every field of every object type this subgraph defines. */
  permissions: PermissionMap;
  /** Whom the rows of each type with @personalData fields are about, and where they live (personal-data.ts). */
  personalData?: PersonalDataOwners;
  /** Folder of this subgraph's NNN_name.sql migrations; they create and use the schema named like the subgraph. */
  migrations: URL;
  createStore(db: Db, settings?: SubgraphSettings): Store;
  /** Opens what the subgraph needs besides its database (the document store's key-encryption keys and content
   * folder), once, after the migrations; refusing here refuses to start. Handed to `routes` and `background`. */
  open?(settings: SubgraphSettings, logger: Logger): Promise<SubgraphResources>;
  /** Its tables have row-level security: each request's store runs as the application role, for its caller. */
  rowSecurity?: boolean;
  /** HTTP routes of its own beside /graphql (e.g. the audit log's streaming export). They sit behind the same door
   * (a valid caller token for this subgraph) and get the same context as a GraphQL request. */
  routes?(app: FastifyInstance, contextFor: ContextFor<Store>, resources: SubgraphResources): void;
  /** Loads synthetic demo data; must be idempotent. */
  seed(store: Store): Promise<void>;
  /** Work beside the server (the audit log's checkpoints): started after the migrations, stopped on close. */
  background?(context: {
    db: Db;
    settings: SubgraphSettings;
    logger: Logger;
    resources: SubgraphResources;
  }): BackgroundTask | undefined;
}

/** What a subgraph needs of the configuration beyond its database: the audit log's and the document store's. */
export interface SubgraphSettings {
  auditLog?: AuditLogSettings;
  documents?: DocumentStoreSettings;
}

/** What `SubgraphModule.open` opened; each subgraph knows its own shape. */
export type SubgraphResources = unknown;

export interface BackgroundTask {
  /** Resolves once the work in flight has finished. */
  stop(): Promise<void>;
  /** Added to the subgraph's /readyz: whether the work keeps up (DEGRADED while it fails). */
  readonly readiness?: readonly ReadinessCheck[];
}
