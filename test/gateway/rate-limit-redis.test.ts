// Rate limits shared through Redis: two gateways on one Redis spend one budget (the plugin's Lua script counts
// atomically), keys name the principal without a pid, and when Redis is unreachable — never there, or gone while
// serving — the gateway keeps serving with a local limit, logs the outage once and says `degraded` in /readyz.
// Needs Redis at REDIS_TEST_URL (default redis://127.0.0.1:6379; .ci/run starts it) and `redis-server` on PATH.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { startGatewayWith, type ExtraGateway } from '../support/gateway.ts';
import { personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const ME = '{ me { kind } }';

/** A port nothing listens on: bound by us, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('gateway / rate limits in Redis', () => {
  // Each run has its own key prefix: runs (and other tests) on the shared Redis never count together.
  const prefix = `fiks-test:${randomUUID()}:`;
  const shared = { REDIS_URL, RATE_LIMIT_REDIS_PREFIX: prefix, RATE_LIMIT_INTEGRATION_MAX: '4' };
  let platform: TestPlatform;
  let second: ExtraGateway;
  let redis: Redis;
  const extra: ExtraGateway[] = [];
  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    platform = await startTestPlatform(shared);
    second = await startGatewayWith(platform, {}, shared);
  });
  afterAll(async () => {
    for (const gateway of [second, ...extra]) await gateway.stop();
    await platform.stop();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  const call = (base: string, headers: Record<string, string>) =>
    fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: ME }),
    });

  const readiness = async (base: string) => {
    const response = await fetch(`${base}/readyz`);
    return {
      status: response.status,
      body: (await response.json()) as { status: string; checks: Record<string, string> },
    };
  };

  it('shares one budget between two gateways on one Redis', async () => {
    const integration = await platform.asIntegration();
    for (const base of [platform.gatewayUrl, second.url, platform.gatewayUrl, second.url]) {
      const response = await call(base, integration);
      expect(response.status).toBe(200);
      await response.body?.cancel();
    }
    const refusedByA = await call(platform.gatewayUrl, integration);
    expect(refusedByA.status).toBe(429);
    expect(
      ((await refusedByA.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions
        .code,
    ).toBe('RATE_LIMITED');
    const refusedByB = await call(second.url, integration);
    expect(refusedByB.status).toBe(429);
    expect(refusedByB.headers.get('retry-after')).toMatch(/^\d+$/);
    await refusedByB.body?.cancel();
    // The key names the integration by its id, under this run's prefix, and the count is what both spent.
    expect(await redis.get(`${prefix}integration:${platform.demoIntegration!.id}`)).toBe('6');
    const ready = await readiness(platform.gatewayUrl);
    expect(ready.status).toBe(200);
    expect(ready.body.checks.redis).toBe('ready');
  });

  it('keys a person by a keyed hash, never by the pid', async () => {
    const token = await personAccessToken(platform, DEMO_PERSONS.ola.pid);
    const response = await call(platform.gatewayUrl, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    await response.body?.cancel();
    const keys = await redis.keys(`${prefix}person:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${prefix}person:[A-Za-z0-9_-]{22}$`));
    expect(keys.join()).not.toContain(DEMO_PERSONS.ola.pid);
  });

  it('serves with a local limit when Redis is not there, logs it once and is degraded', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const gateway = await startGatewayWith(
      platform,
      {},
      {
        REDIS_URL: closed,
        RATE_LIMIT_REDIS_PREFIX: prefix,
        RATE_LIMIT_PERSON_MAX: '3',
      },
    );
    extra.push(gateway);
    const kari = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.kari.pid)}` };
    for (let i = 0; i < 3; i += 1) {
      const response = await call(gateway.url, kari);
      expect(response.status).toBe(200);
      await response.body?.cancel();
    }
    // The local limit still holds.
    const refused = await call(gateway.url, kari);
    expect(refused.status).toBe(429);
    await refused.body?.cancel();
    const ready = await readiness(gateway.url);
    expect(ready).toMatchObject({ status: 200, body: { status: 'degraded', checks: { redis: 'degraded' } } });
    expect(gateway.logs.filter((l) => l.includes('Redis unreachable'))).toHaveLength(1);
  });

  it('keeps serving when its Redis goes away, and shares again when it is back', async () => {
    const port = await freePort();
    const start = async () => {
      const child = spawn('redis-server', [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
      ]);
      // Ready once it says so (its log line), not after a guessed delay.
      await new Promise<void>((resolve, reject) => {
        child.once('error', reject);
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('Ready to accept connections')) resolve();
        });
      });
      return child;
    };
    const stop = async (child: ChildProcess) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    };
    let server = await start();
    try {
      const gateway = await startGatewayWith(
        platform,
        {},
        {
          REDIS_URL: `redis://127.0.0.1:${port}`,
          RATE_LIMIT_REDIS_PREFIX: prefix,
        },
      );
      extra.push(gateway);
      const liv = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.liv.pid)}` };
      expect((await call(gateway.url, liv)).status).toBe(200);
      expect((await readiness(gateway.url)).body.checks.redis).toBe('ready');

      await stop(server);
      for (let i = 0; i < 3; i += 1) expect((await call(gateway.url, liv)).status).toBe(200);
      expect(await readiness(gateway.url)).toMatchObject({ status: 200, body: { status: 'degraded' } });
      expect(gateway.logs.filter((l) => l.includes('Redis unreachable'))).toHaveLength(1);

      server = await start();
      // ioredis reconnects by itself; readiness asks Redis, so it turns ready once the client is back.
      await expect
        .poll(async () => (await readiness(gateway.url)).body.checks.redis, { timeout: 10_000 })
        .toBe('ready');
      expect((await call(gateway.url, liv)).status).toBe(200);
      expect(gateway.logs.filter((l) => l.includes('rate limits shared again'))).toHaveLength(1);
    } finally {
      await stop(server);
    }
  });
});
