// What `npm run bench -- --processes` stands up, as production runs it: a scratch database on a PostgreSQL server,
// each of the four subgraphs in a process of its own (bin/subgraph.ts), our gateway in its own (bin/gateway.ts), the
// bare @apollo/gateway in its own (bench/bare-gateway-process.ts). This process keeps only the local identity
// stand-ins (asked for one Maskinporten token before each run of our gateway, not per request) and the load
// generator, in a worker thread. Every child is stopped at the end, and killed should this process exit early.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../common/config.ts';
import { SUBGRAPH_NAMES, type SubgraphName } from '../common/subgraph-names.ts';
import { openDatabase } from '../db/database.ts';
import { createScratchDatabase } from '../db/scratch-database.ts';
import { provisionDemoIntegration } from '../platform/demo.ts';
import { startStandIns } from '../platform/stand-ins.ts';
import { SUBGRAPHS } from '../subgraphs/index.ts';
import type { IntegrationsStore } from '../subgraphs/integrations/store.ts';
import { runEntryPoint, type Child } from '../test/support/child.ts';
import { freePort } from '../test/support/free-port.ts';
import { gatewayProcessEnv } from '../test/support/gateway-process-env.ts';
import { integrationHeaders } from '../test/support/identity.ts';
import { benchAuditLogSettings } from './audit-log-settings.ts';
import { generateSigningKey, staticCallerTokens, staticTokenIds } from './caller-tokens.ts';
import { BENCH_UNTHROTTLED } from './rate-limit-settings.ts';
import type { BenchSetup } from './setup.ts';
import { benchTargets, type Target } from './targets.ts';

export interface ProcessSetupOptions {
  /** The PostgreSQL server; the run gets a scratch database on it. */
  databaseUrl: string;
  /** How long the bare gateway's static caller tokens must stay valid. */
  tokenSeconds: number;
}

/** How long a child may take to stop cleanly before it is killed. */
const STOP_GRACE_MS = 10_000;

/** Stops a child: SIGTERM, then SIGKILL if it has not exited within the grace period. */
async function stopChild(child: Child): Promise<void> {
  const grace = setTimeout(() => child.process.kill('SIGKILL'), STOP_GRACE_MS);
  try {
    await child.stop('SIGTERM');
  } finally {
    clearTimeout(grace);
  }
}

export async function startProcessSetup(options: ProcessSetupOptions): Promise<Required<BenchSetup>> {
  const stops: (() => Promise<void>)[] = [];
  const children = new Set<Child>();
  // Should this process exit without stopping them (an uncaught error), no child outlives it.
  const killChildren = () => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
  };
  process.once('exit', killChildren);
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step().catch(() => undefined);
    process.off('exit', killChildren);
  };
  const start = (script: string, args: string[], env: Record<string, string>) => {
    const child = runEntryPoint(script, args, env);
    children.add(child);
    stops.push(() => stopChild(child));
    return child;
  };
  try {
    const scratch = await createScratchDatabase(options.databaseUrl, 'fiks_bench');
    stops.push(() => scratch.drop());
    if (scratch.target.kind !== 'postgres') throw new Error('--processes needs PostgreSQL');
    const databaseUrl = scratch.target.url;

    const signingKey = generateSigningKey();
    const tokens = await staticCallerTokens(signingKey, options.tokenSeconds);
    // The gateway's port must be known before it starts: the subgraphs fetch its caller-token keys from there.
    const gatewayPort = await freePort();
    const publicUrl = `http://127.0.0.1:${gatewayPort}`;
    const shared: Record<string, string> = {
      FIKS_MODE: 'development',
      SEED_DEMO_DATA: 'true',
      // Warnings and errors only, as the in-process bench logs nothing: a log line per request would be our
      // gateway's alone (the bare gateway logs none), and this process keeps every child's output.
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      GATEWAY_PUBLIC_URL: publicUrl,
      CALLER_SIGNING_KEY: signingKey,
      SESSION_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
      APOLLO_TELEMETRY_DISABLED: 'true',
      ...benchAuditLogSettings(),
      ...BENCH_UNTHROTTLED,
    };
    const config = loadConfig(shared);

    // One after the other: each migrates its own tables on the one database.
    const subgraphUrls = {} as Record<SubgraphName, string>;
    const subgraphChildren = {} as Record<SubgraphName, Child>;
    for (const name of SUBGRAPH_NAMES) {
      const child = start('bin/subgraph.ts', [name], {
        ...shared,
        SUBGRAPH_HOST: '127.0.0.1',
        SUBGRAPH_PORT: '0',
        BENCH_REUSABLE_TOKEN_IDS: [...staticTokenIds(tokens)].join(','),
      });
      const [, url] = await child.waitFor(/subgraph \S+ is running at (\S+)/);
      subgraphUrls[name] = url!;
      subgraphChildren[name] = child;
    }

    const started = await startStandIns(config, publicUrl);
    stops.push(() => started.standIns.stop());
    // The integrations subgraph has created its tables; the demo integration gets this run's password there.
    const db = await openDatabase(scratch.target);
    let demoIntegration: { id: string; password: string };
    try {
      const store = SUBGRAPHS.integrations.createStore(db) as IntegrationsStore;
      demoIntegration = await provisionDemoIntegration(store);
    } finally {
      await db.close();
    }

    const ours = start('bin/gateway.ts', [], {
      ...shared,
      ...gatewayProcessEnv(gatewayPort, subgraphUrls, started.config),
    });
    await ours.waitFor(/Fiks Gateway is running at/);

    const bare = start('bench/bare-gateway-process.ts', [], {
      FIKS_MODE: 'development',
      LOG_LEVEL: 'warn',
      APOLLO_TELEMETRY_DISABLED: 'true',
      ORGANIZATIONS_URL: subgraphUrls.organizations,
      INTEGRATIONS_URL: subgraphUrls.integrations,
      DOCUMENTS_URL: subgraphUrls.documents,
      AUDIT_URL: subgraphUrls.audit,
      BENCH_CALLER_TOKENS: JSON.stringify(tokens),
    });
    const [, bareUrl] = await bare.waitFor(/bare gateway is running at (\S+)/);

    const targets = benchTargets({
      documentsSubgraph: subgraphUrls.documents,
      documentsToken: tokens.documents,
      bareGateway: bareUrl!,
      ourGateway: `${publicUrl}/graphql`,
    });
    const identity = { simulators: started.standIns, demoIntegration };
    const fresh = async (target: Target): Promise<Target> =>
      target.key === 'c'
        ? { ...target, headers: { ...target.headers, ...(await integrationHeaders(identity)) } }
        : target;
    const pid = (child: Child) => {
      if (child.process.pid === undefined) throw new Error('a child process did not start');
      return child.process.pid;
    };
    const serverPids = { a: pid(subgraphChildren.documents), b: pid(bare), c: pid(ours) };
    return { targets, fresh, stop, serverPids };
  } catch (error) {
    await stop();
    throw error;
  }
}
