// Brings one subgraph up on a database: migrations, optional demo data, HTTP server (not yet listening).
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { TlsFiles } from '../../common/listen.ts';
import type { Logger } from '../../common/logger.ts';
import type { CallerKeys } from './caller-verifier.ts';
import { createCallerVerifier } from './caller-verifier.ts';
import type { Db } from '../../db/database.ts';
import { callerScoped } from './caller-scope.ts';
import { migrate } from '../../db/migrations.ts';
import { createSubgraphServer } from './server.ts';
import { createSharedReplayGuard } from './shared-replay-guard.ts';
import { connectRedis } from '../../common/redis.ts';
import type { SubgraphModule, SubgraphSettings } from './types.ts';
import type { AuditLogSettings, Config, DocumentStoreSettings } from '../../common/config.ts';

export interface SubgraphBuildOptions {
  db: Db;
  callerKeys: CallerKeys;
  logger: Logger;
  maxBodyBytes: number;
  seedDemoData: boolean;
  /** How long /readyz waits for the database. */
  readinessTimeoutMs: number;
  /** The audit log's tamper evidence; without it the audit subgraph signs no checkpoints. */
  auditLog?: AuditLogSettings;
  /** The document store's keys, content folder and limits; the documents subgraph refuses to start without them. */
  documents?: DocumentStoreSettings;
  /** Serve HTTPS with these PEM files (SUBGRAPH_TLS_CERT_FILE, SUBGRAPH_TLS_KEY_FILE; undefined: plain HTTP), and
   * require client certificates of the authorities in clientCaFile (SUBGRAPH_CLIENT_CA_FILE). */
  tls?: TlsFiles & { clientCaFile?: string };
  /** Claim caller tokens in Redis too, so replicas of this subgraph refuse each other's tokens (REDIS_URL). */
  sharedReplayGuard?: Config['sharedReplayGuard'];
  /** Bench only (bench/audit.ts), never configuration: see SubgraphServerOptions.benchWithoutReadAudit.
   * @default false */
  benchWithoutReadAudit?: boolean;
  /** Bench only, never configuration: see CallerVerifierOptions.benchReusableTokenIds. */
  benchReusableTokenIds?: ReadonlySet<string>;
}

/** What a subgraph takes from the configuration, the same whether it runs alone (bin/subgraph.ts) or beside the
 * others (platform/subgraphs.ts). */
export function subgraphSettingsFrom(
  config: Config,
): Pick<
  SubgraphBuildOptions,
  | 'maxBodyBytes'
  | 'seedDemoData'
  | 'readinessTimeoutMs'
  | 'auditLog'
  | 'documents'
  | 'sharedReplayGuard'
  | 'tls'
> {
  return {
    maxBodyBytes: config.maxBodyBytes,
    seedDemoData: config.seedDemoData,
    readinessTimeoutMs: config.readinessTimeoutMs,
    auditLog: config.auditLog,
    documents: config.documents,
    sharedReplayGuard: config.sharedReplayGuard,
    tls: config.subgraph.tls,
  };
}

export async function buildSubgraph<Store>(
  module: SubgraphModule<Store>,
  options: SubgraphBuildOptions,
): Promise<{ app: FastifyInstance; store: Store }> {
  const logger = options.logger.child({ subgraph: module.name });
  const applied = await migrate(options.db, module.name, module.migrations);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  const settings: SubgraphSettings = { auditLog: options.auditLog, documents: options.documents };
  const resources = await module.open?.(settings, logger);
  const store = module.createStore(options.db, settings);
  if (options.seedDemoData) await module.seed(store);
  // Read before anything below starts, so a missing file leaves nothing running.
  const https = options.tls && {
    cert: readFileSync(options.tls.certFile),
    key: readFileSync(options.tls.keyFile),
    // Asked for in every handshake, checked by the door (server.ts) rather than by the handshake, so /healthz and
    // /readyz still answer an orchestrator's probe that has no certificate.
    ...(options.tls.clientCaFile === undefined
      ? {}
      : { ca: readFileSync(options.tls.clientCaFile), requestCert: true, rejectUnauthorized: false }),
  };
  const redis = options.sharedReplayGuard && (await connectRedis(options.sharedReplayGuard.redisUrl));
  const shared =
    redis &&
    createSharedReplayGuard({
      redis,
      prefix: options.sharedReplayGuard!.redisPrefix,
      subgraph: module.name,
      log: logger,
    });
  // Started before the server so that /readyz can ask it; stopped again if the server cannot be built.
  const task = module.background?.({ db: options.db, settings, logger, resources });
  const app = await createSubgraphServer({
    module,
    store,
    storeFor: module.rowSecurity
      ? (principal) => module.createStore(callerScoped(options.db, principal), settings)
      : undefined,
    db: options.db,
    verifier: createCallerVerifier(module.name, options.callerKeys, {
      benchReusableTokenIds: options.benchReusableTokenIds,
      shared,
    }),
    logger,
    maxBodyBytes: options.maxBodyBytes,
    readinessTimeoutMs: options.readinessTimeoutMs,
    https,
    readinessChecks: [...(task?.readiness ?? []), ...(shared?.readiness ?? [])],
    benchWithoutReadAudit: options.benchWithoutReadAudit,
    resources,
  }).catch(async (error: unknown) => {
    await task?.stop();
    redis?.disconnect();
    throw error;
  });
  if (task) app.addHook('onClose', () => task.stop());
  if (redis) app.addHook('onClose', () => redis.disconnect());
  return { app, store };
}
