// A second gateway in front of a running test platform, with some subgraphs' URLs replaced (by a stopped port, a
// server that hangs, one that answers garbage), so a test sees exactly what a caller and the log see when a
// subgraph fails. It shares the platform's database, caller-token signer and identity stand-ins, and logs into
// its own list.
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../common/config.ts';
import { createLogger } from '../../common/logger.ts';
import type { SubgraphName } from '../../common/subgraph-names.ts';
import type { Db } from '../../db/database.ts';
import { buildGateway } from '../../gateway/index.ts';
import type { RunningPlatform } from '../../platform/start.ts';
import { UNTHROTTLED } from './platform.ts';

export interface ExtraGateway {
  url: string;
  app: FastifyInstance;
  logs: string[];
  stop(): Promise<void>;
}

export async function startGatewayWith(
  platform: RunningPlatform,
  subgraphUrls: Partial<Record<SubgraphName, string>>,
  env: Record<string, string> = {},
  db: Db = platform.db,
): Promise<ExtraGateway> {
  const logs: string[] = [];
  const logger = createLogger({
    level: 'info',
    name: 'test',
    destination: { write: (line) => logs.push(line) },
  });
  // The platform's effective configuration (its stand-ins as identity providers), with the settings under test.
  const own = loadConfig({ ...UNTHROTTLED, ...env });
  const config = {
    ...platform.config,
    subgraphCalls: own.subgraphCalls,
    readinessTimeoutMs: own.readinessTimeoutMs,
    rateLimit: own.rateLimit,
  };
  const { app } = await buildGateway(config, logger, {
    db,
    subgraphUrls: { ...platform.subgraphUrls, ...subgraphUrls },
    signer: platform.signer,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, app, logs, stop: () => app.close() };
}
