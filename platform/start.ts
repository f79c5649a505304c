// The whole platform in one process: one database, the four subgraphs, the gateway. Used by `npm start`, the
// whole-platform tests and the benchmark. Each part can also run alone (bin/gateway.ts, bin/subgraph.ts).
import type { FastifyInstance } from 'fastify';
import type { Config } from '../common/config.ts';
import type { Logger } from '../common/logger.ts';
import { SUBGRAPH_NAMES, type SubgraphName } from '../common/subgraph-names.ts';
import { buildGateway } from '../gateway/index.ts';
import { createCallerTokenSigner } from '../gateway/caller-token.ts';
import { SUBGRAPHS } from '../subgraphs/index.ts';
import { openDatabase, type DatabaseTarget, type Db } from '../subgraphs/runtime/database.ts';
import { buildSubgraph } from '../subgraphs/runtime/start.ts';

export interface PlatformOptions {
  config: Config;
  logger: Logger;
  database: DatabaseTarget;
  /** Listen on ephemeral ports (tests, bench) instead of the configured ones. */
  ephemeralPorts?: boolean;
}

export interface RunningPlatform {
  gatewayUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  db: Db;
  stores: Record<SubgraphName, unknown>;
  stop(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const { config, logger } = options;
  const db = await openDatabase(options.database);
  const servers: FastifyInstance[] = [];
  const stop = async () => {
    for (const server of servers.reverse()) await server.close();
    await db.close();
  };
  try {
    const signer = await createCallerTokenSigner({
      signingKey: config.callerToken.signingKey,
      ttlSeconds: config.callerToken.ttlSeconds,
    });
    const subgraphUrls = {} as Record<SubgraphName, string>;
    const stores = {} as Record<SubgraphName, unknown>;
    for (const name of SUBGRAPH_NAMES) {
      const { app, store } = await buildSubgraph(SUBGRAPHS[name], {
        db,
        callerKeys: { jwks: signer.jwks },
        logger,
        maxBodyBytes: config.maxBodyBytes,
        seedDemoData: config.seedDemoData,
      });
      servers.push(app);
      stores[name] = store;
      const configured = new URL(config.subgraphUrls[name]);
      const port = options.ephemeralPorts ? 0 : Number(configured.port);
      const address = await app.listen({ host: configured.hostname, port });
      subgraphUrls[name] = `${address}${configured.pathname}`;
    }
    const gateway = await buildGateway(config, logger, subgraphUrls, signer);
    servers.push(gateway.app);
    const gatewayAddress = await gateway.app.listen({
      host: config.gateway.host,
      port: options.ephemeralPorts ? 0 : config.gateway.port,
    });
    return { gatewayUrl: gatewayAddress, subgraphUrls, db, stores, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
