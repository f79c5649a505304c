// /healthz says the process lives; /readyz says whether it can serve: the gateway asks its database and every
// subgraph's /readyz (which asks that subgraph's database), each within READINESS_TIMEOUT_MS. Not ready is 503 and
// names the part that is not, and nothing else: no address, no error message.
import { mkdir, rmdir } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.ts';
import type { Db } from '../../db/database.ts';
import { SUBGRAPHS } from '../../subgraphs/index.ts';
import { createCallerVerifier } from '../../subgraphs/runtime/caller-verifier.ts';
import { createSubgraphServer } from '../../subgraphs/runtime/server.ts';
import { buildSubgraph } from '../../subgraphs/runtime/start.ts';
import { openTestLog } from '../audit/tamper-log.ts';
import { startGatewayWith, type ExtraGateway } from '../support/gateway.ts';
import { integrationHeaders } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

// Every check shares one bound, the healthy ones included: the default (1 s) keeps them clear of it on a busy
// machine, and is what a hanging check waits.
const TIMEOUT = { READINESS_TIMEOUT_MS: '1000' };
const ALL_READY = {
  database: 'ready',
  organizations: 'ready',
  integrations: 'ready',
  documents: 'ready',
  audit: 'ready',
  'credential-notifications': 'ready',
};

async function serve(listener: RequestListener): Promise<{ url: string; server: Server }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

/** A database that fails every query, as one that is down does. */
function downDatabase(db: Db): Db {
  return {
    ...db,
    query: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
  };
}

describe('gateway / readiness', () => {
  let platform: TestPlatform;
  const cleanup: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(async () => {
    for (const close of cleanup.reverse()) await close();
    await platform.stop();
  });

  async function gatewayWith(
    ...args: Parameters<typeof startGatewayWith> extends [unknown, ...infer R] ? R : never
  ) {
    const gateway: ExtraGateway = await startGatewayWith(platform, ...args);
    cleanup.push(() => gateway.stop());
    return gateway;
  }
  async function misbehaving(listener: RequestListener): Promise<string> {
    const { url, server } = await serve(listener);
    cleanup.push(
      () =>
        new Promise((resolve) => {
          server.close(resolve);
          server.closeAllConnections();
        }),
    );
    return url;
  }
  async function stopped(): Promise<string> {
    const { url, server } = await serve(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    return url;
  }
  async function readiness(base: string) {
    const response = await fetch(`${base}/readyz`);
    return { status: response.status, body: await response.json() };
  }

  it('is ready on a healthy platform, and /healthz still only says the process lives', async () => {
    expect(await readiness(platform.gatewayUrl)).toEqual({
      status: 200,
      body: { status: 'ready', checks: ALL_READY },
    });
    const health = await fetch(`${platform.gatewayUrl}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it("answers each subgraph's own readiness without a caller token", async () => {
    for (const [name, url] of Object.entries(platform.subgraphUrls)) {
      // The audit subgraph also says whether its checkpoints keep up (subgraphs/audit/background.ts).
      const checks =
        name === 'audit' ? { database: 'ready', 'audit-checkpoints': 'ready' } : { database: 'ready' };
      expect(await readiness(new URL('.', url).href.replace(/\/$/, ''))).toEqual({
        status: 200,
        body: { status: 'ready', checks },
      });
    }
  });

  it("is degraded, naming audit, while the audit log's checkpoints fail, and ready once they succeed again", async () => {
    // An audit subgraph whose witness file cannot be written (a folder stands at its path), on a log of its own.
    const log = await openTestLog();
    cleanup.push(() => log.close());
    await mkdir(log.witnessFile);
    const { app: subgraph } = await buildSubgraph(SUBGRAPHS.audit, {
      db: log.db,
      callerKeys: { jwks: platform.signer.jwks },
      logger: createLogger({ level: 'silent', name: 'test' }),
      maxBodyBytes: 102400,
      seedDemoData: false,
      readinessTimeoutMs: 1000,
      auditLog: {
        signingKey: log.key.privateKey.export({ format: 'jwk' }),
        signingKeyFile: '/nonexistent/never-read',
        witnessFile: log.witnessFile,
        checkpointIntervalMs: 20,
        retentionDays: 0,
      },
    });
    const base = await subgraph.listen({ host: '127.0.0.1', port: 0 });
    cleanup.push(() => subgraph.close());
    await log.append();
    // The event is recorded, but no checkpoint can vouch for it: the subgraph still serves, and says so.
    await expect
      .poll(async () => (await readiness(base)).body, { timeout: 15_000 })
      .toEqual({ status: 'degraded', checks: { database: 'ready', 'audit-checkpoints': 'degraded' } });
    const gateway = await gatewayWith({ audit: `${base}/graphql` }, TIMEOUT);
    expect(await readiness(gateway.url)).toEqual({
      status: 200,
      body: { status: 'degraded', checks: { ...ALL_READY, audit: 'degraded' } },
    });

    // The path freed, the next round writes the witness and the checkpoint: ready again, here and at the gateway.
    await rmdir(log.witnessFile);
    await expect
      .poll(async () => (await readiness(base)).body, { timeout: 15_000 })
      .toEqual({ status: 'ready', checks: { database: 'ready', 'audit-checkpoints': 'ready' } });
    expect((await readiness(gateway.url)).body).toEqual({ status: 'ready', checks: ALL_READY });
    expect((await log.verify()).ok).toBe(true);
  });

  const BROKEN: [string, () => Promise<string>][] = [
    ['is stopped', stopped],
    ['accepts and never answers', () => misbehaving(() => undefined)],
    [
      'answers its readiness with 503',
      () => misbehaving((_, res) => res.writeHead(503).end('{"checks":{}}')),
    ],
    [
      'answers its readiness with 500 and a stack',
      () => misbehaving((_, res) => res.writeHead(500).end('at x.js:1')),
    ],
  ];
  for (const [name, start] of BROKEN) {
    for (const subgraph of ['organizations', 'audit'] as const) {
      it(`is not ready, naming ${subgraph}, when it ${name}`, async () => {
        const gateway = await gatewayWith({ [subgraph]: await start() }, TIMEOUT);
        expect(await readiness(gateway.url)).toEqual({
          status: 503,
          body: { status: 'not ready', checks: { ...ALL_READY, [subgraph]: 'not ready' } },
        });
        const lines = gateway.logs.filter((line) => line.includes('"not ready"'));
        expect(lines.map((line) => (JSON.parse(line) as { check: string }).check)).toEqual([subgraph]);
      });
    }
  }

  it('is not ready, naming the database, when the database fails', async () => {
    const gateway = await gatewayWith({}, TIMEOUT, downDatabase(platform.db));
    expect(await readiness(gateway.url)).toEqual({
      status: 503,
      body: { status: 'not ready', checks: { ...ALL_READY, database: 'not ready' } },
    });
    expect(gateway.logs.join('')).toContain('"errorCode":"ECONNREFUSED"');
  });

  it('is not ready, naming the database, when the database hangs', async () => {
    const hanging: Db = { ...platform.db, query: () => new Promise(() => undefined) };
    const gateway = await gatewayWith({}, TIMEOUT, hanging);
    expect((await readiness(gateway.url)).body).toEqual({
      status: 'not ready',
      checks: { ...ALL_READY, database: 'not ready' },
    });
  });

  it("a subgraph is not ready when its database fails, and the gateway's readiness says which subgraph", async () => {
    const subgraph = await createSubgraphServer({
      module: SUBGRAPHS.audit,
      store: SUBGRAPHS.audit.createStore(platform.db),
      db: downDatabase(platform.db),
      verifier: createCallerVerifier('audit', { jwks: platform.signer.jwks }),
      logger: createLogger({ level: 'silent', name: 'test' }),
      maxBodyBytes: 102400,
      readinessTimeoutMs: 1000,
    });
    const url = `${await subgraph.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
    cleanup.push(() => subgraph.close());
    const own = await subgraph.inject({ method: 'GET', url: '/readyz' });
    expect(own.statusCode).toBe(503);
    expect(own.json()).toEqual({ status: 'not ready', checks: { database: 'not ready' } });

    const gateway = await gatewayWith({ audit: url }, TIMEOUT);
    expect((await readiness(gateway.url)).body).toEqual({
      status: 'not ready',
      checks: { ...ALL_READY, audit: 'not ready' },
    });
  });

  it("is degraded, still serving, while the credential cache's notifications are lost", async () => {
    // Every integration call then reads its row (gateway/auth/credential-freshness.ts): slower, not wrong.
    const unheard: Db = {
      ...platform.db,
      listen(_channel, handlers) {
        queueMicrotask(() => handlers.lost(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })));
        return { close: () => Promise.resolve() };
      },
    };
    const gateway = await gatewayWith({}, TIMEOUT, unheard);
    expect(await readiness(gateway.url)).toEqual({
      status: 200,
      body: { status: 'degraded', checks: { ...ALL_READY, 'credential-notifications': 'degraded' } },
    });
    const served = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await integrationHeaders(platform)) },
      body: JSON.stringify({ query: '{ me { integrationId } }' }),
    });
    expect(await served.json()).toEqual({ data: { me: { integrationId: platform.demoIntegration!.id } } });
  });
});
