// The replay guard shared by a subgraph's replicas through Redis (subgraphs/runtime/shared-replay-guard.ts): a caller
// token accepted by one replica is refused by another until it expires; while Redis cannot be reached each replica
// still refuses what it saw itself, keeps serving, logs the switch once and says `degraded` in /readyz. Against
// the real Redis (REDIS_TEST_URL, default 127.0.0.1:6379), each run under a prefix of its own.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { JWK } from 'jose';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../access/principal.ts';
import { createLogger } from '../../common/logger.ts';
import { checkReadiness } from '../../common/readiness.ts';
import { connectRedis } from '../../common/redis.ts';
import { createCallerTokenSigner } from '../../gateway/caller-token-signer.ts';
import { SUBGRAPHS } from '../../subgraphs/index.ts';
import { CALLER_TOKEN_REPLAYED, createCallerVerifier } from '../../subgraphs/runtime/caller-verifier.ts';
import { createSharedReplayGuard } from '../../subgraphs/runtime/shared-replay-guard.ts';
import { buildSubgraph } from '../../subgraphs/runtime/start.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const PRINCIPAL: Principal = { kind: 'integration', integrationId: randomUUID(), orgnr: '910000004' };

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('subgraphs / replay guard shared between replicas', () => {
  const prefix = `fiks-test:${randomUUID()}:`;
  const lines: string[] = [];
  const log = createLogger({ level: 'info', name: 'test', destination: { write: (l) => lines.push(l) } });
  let redis: Redis;
  let admin: Redis;
  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    admin = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    redis.disconnect();
    admin.disconnect();
  });

  async function signer() {
    const signingKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as JWK;
    return createCallerTokenSigner({ signingKey, ttlSeconds: 60 });
  }
  const replica = (jwks: { keys: JWK[] }, client: Redis) =>
    createCallerVerifier(
      'documents',
      { jwks },
      { shared: createSharedReplayGuard({ redis: client, prefix, subgraph: 'documents', log }) },
    );

  it('refuses on one replica a token another accepted, until it expires, and keys it by subgraph and token id', async () => {
    const gateway = await signer();
    const [a, b] = [replica(gateway.jwks, redis), replica(gateway.jwks, redis)];
    const token = `Bearer ${gateway.tokenFor(PRINCIPAL, 'documents', randomUUID())}`;
    expect(await a.verify(token)).toMatchObject({ principal: PRINCIPAL });
    expect(await b.verify(token)).toBe(CALLER_TOKEN_REPLAYED);
    expect(await a.verify(token)).toBe(CALLER_TOKEN_REPLAYED);
    // A fresh token is accepted wherever it arrives first.
    expect(await b.verify(`Bearer ${gateway.tokenFor(PRINCIPAL, 'documents', randomUUID())}`)).toMatchObject({
      principal: PRINCIPAL,
    });

    const keys = await admin.keys(`${prefix}*`);
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatch(new RegExp(`^${prefix}documents:[0-9a-f-]{36}$`));
      // Kept as long as the token could be accepted (60 s and the 5 s clock tolerance), and no longer.
      const ttl = await admin.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(65_000);
    }
  });

  it('still refuses what one replica saw itself while Redis is unreachable, logs that once, and says degraded', async () => {
    const unreachable = await connectRedis(`redis://127.0.0.1:${await closedPort()}`);
    try {
      const gateway = await signer();
      const guard = createSharedReplayGuard({ redis: unreachable, prefix, subgraph: 'documents', log });
      const verifier = createCallerVerifier('documents', { jwks: gateway.jwks }, { shared: guard });
      const token = `Bearer ${gateway.tokenFor(PRINCIPAL, 'documents', randomUUID())}`;
      expect(await verifier.verify(token)).toMatchObject({ principal: PRINCIPAL });
      expect(await verifier.verify(token)).toBe(CALLER_TOKEN_REPLAYED);
      expect(
        await verifier.verify(`Bearer ${gateway.tokenFor(PRINCIPAL, 'documents', randomUUID())}`),
      ).toMatchObject({ principal: PRINCIPAL });
      expect(await checkReadiness(guard.readiness, 1000, log)).toEqual({
        status: 'degraded',
        checks: { 'replay-guard': 'degraded' },
      });
      const warnings = lines.filter((line) => line.includes('Redis unreachable'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).not.toContain(token.slice('Bearer '.length));
    } finally {
      unreachable.disconnect();
    }
  });

  describe('through buildSubgraph (REDIS_URL)', () => {
    let platform: TestPlatform;
    beforeAll(async () => {
      platform = await startTestPlatform();
    });
    afterAll(() => platform.stop());

    it("two replicas of one subgraph refuse each other's tokens, and /readyz asks Redis", async () => {
      const replicas = await Promise.all(
        [0, 1].map(() =>
          buildSubgraph(SUBGRAPHS.organizations, {
            db: platform.db,
            callerKeys: { jwks: platform.signer.jwks },
            logger: createLogger({ level: 'silent', name: 'test' }),
            maxBodyBytes: 102400,
            seedDemoData: false,
            readinessTimeoutMs: 1000,
            sharedReplayGuard: { redisUrl: REDIS_URL, redisPrefix: prefix },
          }),
        ),
      );
      try {
        const [a, b] = replicas.map(({ app }) => app);
        const authorization = `Bearer ${platform.signer.tokenFor(PRINCIPAL, 'organizations', randomUUID())}`;
        const ask = (app: typeof a) =>
          app!.inject({
            method: 'POST',
            url: '/graphql',
            headers: { authorization, 'content-type': 'application/json' },
            payload: { query: '{ __typename }' },
          });
        const first = await ask(a);
        expect(first.statusCode).toBe(200);
        expect(first.json()).toEqual({ data: { __typename: 'Query' } });
        const copied = await ask(b);
        expect(copied.statusCode).toBe(401);
        expect(copied.json<{ errors: { extensions: { code: string } }[] }>().errors[0]!.extensions.code).toBe(
          'UNAUTHENTICATED',
        );

        const readiness = await b!.inject({ method: 'GET', url: '/readyz' });
        expect(readiness.json()).toEqual({
          status: 'ready',
          checks: { database: 'ready', 'replay-guard': 'ready' },
        });
      } finally {
        for (const { app } of replicas) await app.close();
      }
    });
  });
});
