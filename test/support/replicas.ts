// Two gateway processes (bin/gateway.ts, as `npm run start:gateway` runs them) on one PostgreSQL database, with the
// subgraphs and the local identity stand-ins apart in this test process: the shape of a deployment with two
// replicas behind one load balancer. Both replicas are configured as the load balancer's one public URL (replica
// A's address stands in for it), share the caller-token key and the session key, and keep all shared state in the
// database (and in Redis, where the platform uses it).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../common/config.ts';
import { createLogger } from '../../common/logger.ts';
import { openDatabase } from '../../db/database.ts';
import { createScratchDatabase } from '../../db/scratch-database.ts';
import { createGatewaySigner } from '../../gateway/index.ts';
import { provisionDemoIntegration } from '../../platform/demo.ts';
import { startStandIns } from '../../platform/stand-ins.ts';
import type { RunningPlatform } from '../../platform/start.ts';
import { startSubgraphs } from '../../platform/subgraphs.ts';
import type { IntegrationsStore } from '../../subgraphs/integrations/store.ts';
import { runEntryPoint, type Child } from './child.ts';
import { freePort } from './free-port.ts';
import { gatewayProcessEnv } from './gateway-process-env.ts';
import { POSTGRES_URL } from './database.ts';
import { UNTHROTTLED } from './platform.ts';

/** Replicas need a database server both processes reach: the one DATABASE_URL names, else this machine's. */
const SERVER_URL =
  POSTGRES_URL ?? process.env.POSTGRES_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** And one Redis, where they share rate-limit budgets (.ci/run starts it). */
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

export interface Replica {
  url: string;
  child: Child;
}

export interface Replicas {
  a: Replica;
  b: Replica;
  /** The subgraphs, stand-ins and demo integration, shaped as a platform for the identity helpers; its
   * gatewayUrl is replica A's (the public URL both replicas are configured with). */
  platform: RunningPlatform;
  stop(): Promise<void>;
}

export async function startReplicas(env: Record<string, string> = {}): Promise<Replicas> {
  const closers: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const scratch = await createScratchDatabase(SERVER_URL, 'fiks_replicas');
    closers.push(() => scratch.drop());
    if (scratch.target.kind !== 'postgres') throw new Error('replicas need PostgreSQL');
    const databaseUrl = scratch.target.url;
    const dir = await mkdtemp(join(tmpdir(), 'fiks-replicas-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const [portA, portB] = [await freePort(), await freePort()];
    const publicUrl = `http://127.0.0.1:${portA}`;
    const shared = {
      FIKS_MODE: 'development',
      SEED_DEMO_DATA: 'true',
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl,
      GATEWAY_PUBLIC_URL: publicUrl,
      CALLER_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
      SESSION_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
      REDIS_URL,
      // This run's own keys in the shared Redis.
      RATE_LIMIT_REDIS_PREFIX: `fiks-replicas-${randomBytes(6).toString('hex')}:`,
      ...UNTHROTTLED,
      ...env,
    };
    const config = loadConfig({
      ...shared,
      AUDIT_WITNESS_FILE: join(dir, 'witness.jsonl'),
      AUDIT_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
      DOCUMENT_KEY_FILE: join(dir, 'keys', 'document-kek.json'),
      DOCUMENT_CONTENT_DIR: join(dir, 'documents'),
    });
    const logger = createLogger({ level: 'warn', name: 'replicas', destination: { write: () => {} } });
    const db = await openDatabase(scratch.target);
    closers.push(() => db.close());
    const signer = await createGatewaySigner(config);
    const subgraphs = await startSubgraphs({
      config,
      logger,
      db,
      callerJwks: signer.jwks,
      ephemeralPorts: true,
    });
    closers.push(() => subgraphs.close());
    const started = await startStandIns(config, publicUrl);
    closers.push(() => started.standIns.stop());
    const demoIntegration = await provisionDemoIntegration(
      subgraphs.stores.integrations as IntegrationsStore,
    );
    const effective = started.config;

    const replica = async (port: number): Promise<Replica> => {
      const child = runEntryPoint('bin/gateway.ts', [], {
        ...shared,
        ...gatewayProcessEnv(port, subgraphs.urls, effective),
      });
      closers.push(() => child.stop());
      await child.waitFor(/Fiks Gateway is running at/);
      return { url: `http://127.0.0.1:${port}`, child };
    };
    const [a, b] = await Promise.all([replica(portA), replica(portB)]);
    const platform: RunningPlatform = {
      gatewayUrl: a.url,
      subgraphUrls: subgraphs.urls,
      db,
      stores: subgraphs.stores,
      signer,
      config: effective,
      simulators: started.standIns,
      demoIntegration,
      stop,
    };
    return { a, b, platform, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
