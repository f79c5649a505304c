// What `npm run bench` and `npm run bench:profile` both stand up: the platform with the demo data (on PGlite, or on
// a scratch database on a PostgreSQL server), a bare @apollo/gateway on the same subgraphs, and the three targets.
import { loadConfig } from '../common/config.ts';
import { BENCH_UNTHROTTLED } from './rate-limit-settings.ts';
import { benchAuditLogSettings } from './audit-log-settings.ts';
import type { Logger } from '../common/logger.ts';
import { integrationHeaders } from '../test/support/identity.ts';
import { createScratchDatabase } from '../db/scratch-database.ts';
import { startPlatform } from '../platform/start.ts';
import { startBareGateway } from './bare-gateway.ts';
import { generateSigningKey, staticCallerTokens, staticTokenIds } from './caller-tokens.ts';
import { benchTargets, type Target, type TargetKey } from './targets.ts';

export interface BenchSetup {
  targets: Target[];
  /** The target ready to be called now: our gateway's gets a fresh Maskinporten token (they live 120 s). */
  fresh: (target: Target) => Promise<Target>;
  /** Stops everything started, in reverse order. */
  stop: () => Promise<void>;
  /** With `--processes` (bench/process-setup.ts): the process serving each target, whose cost is measured. */
  serverPids?: Record<TargetKey, number>;
}

export interface BenchSetupOptions {
  logger: Logger;
  /** A PostgreSQL server to run on, in a scratch database; undefined: in-memory PGlite. */
  databaseUrl: string | undefined;
  /** How long the bare gateway's static caller tokens must stay valid. */
  tokenSeconds: number;
  /** The demo integrations' trusted-operations mode. @default as seeded: safelist */
  integrationOperationsMode?: 'audit' | 'safelist' | 'id-only';
}

export async function startBenchSetup(options: BenchSetupOptions): Promise<BenchSetup> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step();
  };
  try {
    const signingKey = generateSigningKey();
    const scratch = options.databaseUrl
      ? await createScratchDatabase(options.databaseUrl, 'fiks_bench')
      : undefined;
    if (scratch) stops.push(() => scratch.drop());
    // The bare gateway's caller tokens are minted once, for the whole run; the subgraphs accept them repeatedly.
    const tokens = await staticCallerTokens(signingKey, options.tokenSeconds);
    const platform = await startPlatform({
      config: loadConfig({
        SEED_DEMO_DATA: 'true',
        LOG_LEVEL: 'silent',
        CALLER_SIGNING_KEY: signingKey,
        ...benchAuditLogSettings(),
        ...BENCH_UNTHROTTLED,
      }),
      logger: options.logger,
      database: scratch?.target ?? { kind: 'pglite' },
      ephemeralPorts: true,
      benchReusableTokenIds: staticTokenIds(tokens),
    });
    stops.push(() => platform.stop());
    if (options.integrationOperationsMode) {
      await platform.db.query('update integrations.integration set operations_mode = $1', [
        options.integrationOperationsMode,
      ]);
    }

    const bare = await startBareGateway({
      subgraphUrls: platform.subgraphUrls,
      tokens,
      logger: options.logger,
    });
    stops.push(() => bare.stop());

    const targets = benchTargets({
      documentsSubgraph: platform.subgraphUrls.documents,
      documentsToken: tokens.documents,
      bareGateway: bare.url,
      ourGateway: `${platform.gatewayUrl}/graphql`,
    });
    // Our gateway is called as the demo integration, so the whole door is measured: Maskinporten token
    // verification, the integration's id, password and organisation, caller tokens.
    const fresh = async (target: Target): Promise<Target> =>
      target.key === 'c'
        ? { ...target, headers: { ...target.headers, ...(await integrationHeaders(platform)) } }
        : target;
    return { targets, fresh, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
