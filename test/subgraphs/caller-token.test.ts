// Subgraphs are not a public door: only a caller token signed by the gateway, for that subgraph, still valid,
// opens them.
import { generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLER_TOKEN_ISSUER, callerTokenAudience } from '../../access/caller-token.ts';
import { createCallerTokenSigner, type CallerTokenSigner } from '../../gateway/caller-token.ts';
import type { Principal } from '../../access/principal.ts';
import { loadConfig } from '../../common/config.ts';
import { DEMO_INTEGRATIONS } from '../../common/demo-identities.ts';
import { createLogger } from '../../common/logger.ts';
import { organizations } from '../../subgraphs/organizations/index.ts';
import { openDatabase, type Db } from '../../subgraphs/runtime/database.ts';
import { buildSubgraph } from '../../subgraphs/runtime/start.ts';
import type { FastifyInstance } from 'fastify';

const PRINCIPAL: Principal = {
  kind: 'integration',
  integrationId: DEMO_INTEGRATIONS.fjordvikCaseSystem.id,
  orgnr: '933000001',
};

describe('subgraphs / caller token', () => {
  let signer: CallerTokenSigner;
  let db: Db;
  let app: FastifyInstance;
  let url: string;
  const query = JSON.stringify({ query: '{ organizations { orgnr } }' });

  beforeAll(async () => {
    signer = await createCallerTokenSigner({ signingKey: undefined, ttlSeconds: 60 });
    db = await openDatabase({ kind: 'pglite' });
    const config = loadConfig({});
    ({ app } = await buildSubgraph(organizations, {
      db,
      callerKeys: { jwks: signer.jwks },
      logger: createLogger({ level: 'silent', name: 'test' }),
      maxBodyBytes: config.maxBodyBytes,
      seedDemoData: true,
    }));
    url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  async function call(authorization?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization) headers.authorization = authorization;
    const response = await fetch(url, { method: 'POST', headers, body: query });
    return {
      status: response.status,
      body: (await response.json()) as { data?: unknown; errors?: { extensions: { code: string } }[] },
    };
  }

  function expectUnauthenticated(answer: Awaited<ReturnType<typeof call>>) {
    expect(answer.status).toBe(401);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  }

  async function foreignToken(overrides: {
    alg?: string;
    aud?: string;
    iss?: string;
    exp?: number;
    key?: Parameters<SignJWT['sign']>[0];
  }) {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ prn: PRINCIPAL })
      .setProtectedHeader({ alg: 'EdDSA', kid: (signer.jwks.keys[0] as JWK).kid!, typ: 'fiks-caller+jwt' })
      .setIssuer(overrides.iss ?? CALLER_TOKEN_ISSUER)
      .setAudience(overrides.aud ?? callerTokenAudience('organizations'))
      .setIssuedAt(now)
      .setExpirationTime(overrides.exp ?? now + 60)
      .sign(overrides.key ?? privateKey);
  }

  it('answers a valid caller token', async () => {
    const answer = await call(`Bearer ${await signer.tokenFor(PRINCIPAL, 'organizations')}`);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({
      // Only organisations the integration holds a grant in.
      organizations: [{ orgnr: '910000004' }],
    });
  });

  it('refuses a request without a token', async () => {
    expectUnauthenticated(await call());
  });

  it('refuses a token signed by another key', async () => {
    expectUnauthenticated(await call(`Bearer ${await foreignToken({})}`));
  });

  it('refuses a token for another subgraph', async () => {
    expectUnauthenticated(await call(`Bearer ${await signer.tokenFor(PRINCIPAL, 'documents')}`));
  });

  it('refuses an expired token', async () => {
    const expired = await createCallerTokenSigner({
      signingKey: undefined,
      ttlSeconds: 60,
      now: () => Date.now() - 3_600_000,
    });
    expectUnauthenticated(await call(`Bearer ${await expired.tokenFor(PRINCIPAL, 'organizations')}`));
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const encode = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', typ: 'fiks-caller+jwt' })}.${encode({
      iss: CALLER_TOKEN_ISSUER,
      aud: callerTokenAudience('organizations'),
      iat: now,
      exp: now + 60,
      prn: PRINCIPAL,
    })}.`;
    expectUnauthenticated(await call(`Bearer ${unsigned}`));
  });

  it('refuses a token whose principal has an unknown shape', async () => {
    const tampered = await signer.tokenFor({ kind: 'root' } as never, 'organizations');
    expectUnauthenticated(await call(`Bearer ${tampered}`));
  });

  it('keeps the health check open without a token', async () => {
    const response = await fetch(url.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
  });
});
