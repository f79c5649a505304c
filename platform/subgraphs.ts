// The four subgraphs on one database, each listening on its own port: the part of the platform that
// platform/start.ts runs beside the gateway, and that the two-replica test runs apart from two gateway processes.
import type { CallerTokenSigner } from '../gateway/caller-token-signer.ts';
import type { Config } from '../common/config.ts';
import type { Logger } from '../common/logger.ts';
import { SUBGRAPH_NAMES, type SubgraphName } from '../common/subgraph-names.ts';
import type { Db } from '../db/database.ts';
import { SUBGRAPHS } from '../subgraphs/index.ts';
import { buildSubgraph, subgraphSettingsFrom } from '../subgraphs/runtime/start.ts';

export interface SubgraphsOptions {
  config: Config;
  logger: Logger;
  db: Db;
  /** The caller-token keys the subgraphs trust (the gateway's JWKS). */
  callerJwks: CallerTokenSigner['jwks'];
  /** Listen on ephemeral ports (tests, bench) instead of the configured ones. */
  ephemeralPorts?: boolean;
  /** Bench only: subgraphs without the read audit (see platform/start.ts). */
  benchWithoutReadAudit?: boolean;
  /** Bench only: caller tokens the subgraphs accept more than once (see platform/start.ts). */
  benchReusableTokenIds?: ReadonlySet<string>;
}

export interface RunningSubgraphs {
  urls: Record<SubgraphName, string>;
  stores: Record<SubgraphName, unknown>;
  /** Closes every subgraph started, last first. */
  close(): Promise<void>;
}

export async function startSubgraphs(options: SubgraphsOptions): Promise<RunningSubgraphs> {
  const { config, db, logger } = options;
  const urls = {} as Record<SubgraphName, string>;
  const stores = {} as Record<SubgraphName, unknown>;
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closeOne of closers.splice(0).reverse()) await closeOne();
  };
  try {
    for (const name of SUBGRAPH_NAMES) {
      const { app, store } = await buildSubgraph(SUBGRAPHS[name], {
        db,
        callerKeys: { jwks: options.callerJwks },
        logger,
        ...subgraphSettingsFrom(config),
        benchWithoutReadAudit: options.benchWithoutReadAudit,
        benchReusableTokenIds: options.benchReusableTokenIds,
      });
      closers.push(() => app.close());
      stores[name] = store;
      const configured = new URL(config.subgraphUrls[name]);
      const port = options.ephemeralPorts ? 0 : Number(configured.port);
      urls[name] = `${await app.listen({ host: configured.hostname, port })}${configured.pathname}`;
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { urls, stores, close };
}
