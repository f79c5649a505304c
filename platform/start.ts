// The whole platform in one process: one database, the four subgraphs, the gateway, and — in development when no
// identity provider is configured — the local stand-ins for ID-porten, Maskinporten and Altinn. Used by
// `npm start`, the whole-platform tests and the benchmark. Each part can also run alone (bin/).
import type { Config } from '../common/config.ts';
import { closeServer, listenEarly } from '../common/listen.ts';
import type { Logger } from '../common/logger.ts';
import type { SubgraphName } from '../common/subgraph-names.ts';
import { buildGateway, createGatewaySigner } from '../gateway/index.ts';
import type { CallerTokenSigner } from '../gateway/caller-token-signer.ts';
import type { IntegrationsStore } from '../subgraphs/integrations/store.ts';
import { openDatabase, type DatabaseTarget, type Db } from '../db/database.ts';
import { provisionDemoIntegration } from './demo.ts';
import { startStandIns, wantsStandIns, type StandIns } from './stand-ins.ts';
import { startSubgraphs } from './subgraphs.ts';

export interface PlatformOptions {
  config: Config;
  logger: Logger;
  database: DatabaseTarget;
  /** Listen on ephemeral ports (tests, bench) instead of the configured ones. */
  ephemeralPorts?: boolean;
  /** Bench only (bench/audit.ts), never configuration: subgraphs without the read audit, to price it. Refused in
   * production mode. @default false */
  benchWithoutReadAudit?: boolean;
  /** Bench only (bench/setup.ts), never configuration: the ids of the bare gateway's static caller tokens, which the
   * subgraphs then accept more than once (every other token opens a subgraph once). Refused in production mode. */
  benchReusableTokenIds?: ReadonlySet<string>;
}

export interface RunningPlatform {
  gatewayUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  db: Db;
  stores: Record<SubgraphName, unknown>;
  /** Signs the gateway's caller tokens; the subgraphs trust its keys. */
  signer: CallerTokenSigner;
  /** The effective configuration, with the stand-ins' URLs filled in when they run. */
  config: Config;
  simulators: StandIns | undefined;
  /** The demo integration's id and its password for this run (development with demo data only). */
  demoIntegration: { id: string; password: string } | undefined;
  stop(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const { logger } = options;
  let config = options.config;
  if (options.benchWithoutReadAudit && config.mode === 'production') {
    throw new Error('benchWithoutReadAudit is for the bench only; a production platform always audits reads');
  }
  if (options.benchReusableTokenIds && config.mode === 'production') {
    throw new Error(
      'benchReusableTokenIds is for the bench only; a production subgraph accepts a token once',
    );
  }
  const db = await openDatabase(options.database);
  const closers: (() => Promise<unknown>)[] = [() => db.close()];
  const stop = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    // The in-process subgraphs must trust the gateway's caller-token key before the gateway exists.
    const signer = await createGatewaySigner(config);
    const subgraphs = await startSubgraphs({
      config,
      logger,
      db,
      callerJwks: signer.jwks,
      ephemeralPorts: options.ephemeralPorts,
      benchWithoutReadAudit: options.benchWithoutReadAudit,
      benchReusableTokenIds: options.benchReusableTokenIds,
    });
    closers.push(() => subgraphs.close());
    const { urls: subgraphUrls, stores } = subgraphs;

    // The gateway's address must be known before the ID-porten stand-in registers its callback URL.
    const early = await listenEarly(
      config.gateway.host,
      options.ephemeralPorts ? 0 : config.gateway.port,
      config.gateway.tls,
    );
    closers.push(() => closeServer(early.server));
    // Port 0 (tests, or GATEWAY_PORT=0) is only known once listening; otherwise the configured public URL.
    const gatewayUrl =
      options.ephemeralPorts || config.gateway.port === 0 ? early.url : config.gateway.publicUrl;

    let simulators: RunningPlatform['simulators'];
    if (wantsStandIns(config)) {
      const started = await startStandIns(config, gatewayUrl);
      closers.push(() => started.standIns.stop());
      simulators = started.standIns;
      config = started.config;
    }

    const demoIntegration =
      config.mode === 'development' && config.seedDemoData
        ? await provisionDemoIntegration(stores.integrations as IntegrationsStore)
        : undefined;

    const gateway = await buildGateway(config, logger, {
      db,
      subgraphUrls,
      signer,
      publicUrl: gatewayUrl,
      server: early.server,
    });
    closers.push(() => gateway.app.close());
    await gateway.app.ready();
    logger.info({ url: gatewayUrl }, 'gateway ready');
    return { gatewayUrl, subgraphUrls, db, stores, signer, config, simulators, demoIntegration, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
