// Subgraphs are not a public door: only a caller token signed by the gateway, for that subgraph, still valid,
// opens them. The request id a subgraph works under (errors, logs, audit events) is the one signed into the token.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLER_TOKEN_ISSUER, callerTokenAudience } from '../../access/caller-token.ts';
import { createCallerTokenSigner, type CallerTokenSigner } from '../../gateway/caller-token-signer.ts';
import type { Principal } from '../../access/principal.ts';
import { loadConfig } from '../../common/config.ts';
import { DEMO_INTEGRATIONS } from '../../common/demo-identities.ts';
import { createLogger } from '../../common/logger.ts';
import { organizations } from '../../subgraphs/organizations/index.ts';
import { audit } from '../../subgraphs/audit/index.ts';
import { migrate } from '../../db/migrations.ts';
import { openDatabase, type Db } from '../../db/database.ts';
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
  /** The gateway's private key, so a test can sign claims the signer would never put in a token. */
  let gatewayKey: Parameters<SignJWT['sign']>[0];
  const query = JSON.stringify({ query: '{ organizations { orgnr } }' });
  /** Refused by the subgraph's rules for an integration (200, FORBIDDEN): an error carries the request id. */
  const forbiddenQuery = JSON.stringify({
    query: `{ whoMay(privilege: "READ", resourceId: "${randomUUID()}") { actorId } }`,
  });

  beforeAll(async () => {
    const signingKey = JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }));
    gatewayKey = await importJWK(JSON.parse(signingKey) as JWK, 'EdDSA');
    signer = await createCallerTokenSigner({ signingKey: JSON.parse(signingKey) as JWK, ttlSeconds: 60 });
    db = await openDatabase({ kind: 'pglite' });
    // A refusal is an audit event (subgraphs/runtime/refusal-audit.ts): the audit log must exist to answer one.
    await migrate(db, 'audit', audit.migrations);
    const config = loadConfig({});
    ({ app } = await buildSubgraph(organizations, {
      db,
      callerKeys: { jwks: signer.jwks },
      logger: createLogger({ level: 'silent', name: 'test' }),
      maxBodyBytes: config.maxBodyBytes,
      seedDemoData: true,
      readinessTimeoutMs: config.readinessTimeoutMs,
    }));
    url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  async function call(
    authorization?: string,
    options: { body?: string; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (authorization) headers.authorization = authorization;
    const response = await fetch(url, { method: 'POST', headers, body: options.body ?? query });
    return {
      status: response.status,
      body: (await response.json()) as {
        data?: unknown;
        errors?: { extensions: { code: string; requestId?: string } }[];
      },
    };
  }

  /** The request id the subgraph worked under, as its errors report it. */
  async function requestIdSeen(authorization: string, headers?: Record<string, string>) {
    const answer = await call(authorization, { body: forbiddenQuery, headers });
    expect(answer.status).toBe(200);
    expect(answer.body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    return answer.body.errors?.[0]?.extensions.requestId;
  }

  /** Claims as the gateway's signer writes them, for one request to the organizations subgraph. */
  function claims(requestId: string | null = randomUUID()) {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: CALLER_TOKEN_ISSUER,
      aud: callerTokenAudience('organizations'),
      iat: now,
      exp: now + 60,
      jti: randomUUID(),
      ...(requestId === null ? {} : { rid: requestId }),
      prn: PRINCIPAL,
    };
  }

  /** A token signed with the gateway's own key over the claims given. */
  function signedByGateway(payload: Record<string, unknown>) {
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'EdDSA', kid: (signer.jwks.keys[0] as JWK).kid!, typ: 'fiks-caller+jwt' })
      .sign(gatewayKey);
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
    rid?: string;
    key?: Parameters<SignJWT['sign']>[0];
  }) {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ rid: overrides.rid ?? randomUUID(), prn: PRINCIPAL })
      .setProtectedHeader({ alg: 'EdDSA', kid: (signer.jwks.keys[0] as JWK).kid!, typ: 'fiks-caller+jwt' })
      .setIssuer(overrides.iss ?? CALLER_TOKEN_ISSUER)
      .setAudience(overrides.aud ?? callerTokenAudience('organizations'))
      .setIssuedAt(now)
      .setExpirationTime(overrides.exp ?? now + 60)
      .setJti(randomUUID())
      .sign(overrides.key ?? privateKey);
  }

  it('answers a valid caller token', async () => {
    const answer = await call(`Bearer ${signer.tokenFor(PRINCIPAL, 'organizations', randomUUID())}`);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({
      // Only organisations the integration holds a grant in.
      organizations: [{ orgnr: '910000004' }],
    });
  });

  it('refuses a valid token the second time it is presented (replay)', async () => {
    const authorization = `Bearer ${signer.tokenFor(PRINCIPAL, 'organizations', randomUUID())}`;
    expect((await call(authorization)).status).toBe(200);
    expectUnauthenticated(await call(authorization));
    // Another token for the same request still opens it once: the token, not the request, is what was used.
    expect((await call(`Bearer ${signer.tokenFor(PRINCIPAL, 'organizations', randomUUID())}`)).status).toBe(
      200,
    );
  });

  it('refuses a token signed by the gateway without a token id (nothing to remember it by)', async () => {
    const { jti: _dropped, ...withoutId } = claims();
    expectUnauthenticated(await call(`Bearer ${await signedByGateway(withoutId)}`));
    expect((await call(`Bearer ${await signedByGateway(claims())}`)).status).toBe(200);
  });

  it('works under the request id signed into the token', async () => {
    const requestId = randomUUID();
    expect(await requestIdSeen(`Bearer ${signer.tokenFor(PRINCIPAL, 'organizations', requestId)}`)).toBe(
      requestId,
    );
  });

  it('answers even errors raised before execution, and its x-request-id, under the signed request id', async () => {
    const requestId = randomUUID();
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${signer.tokenFor(PRINCIPAL, 'organizations', requestId)}`,
      },
      body: JSON.stringify({ query: '{ noSuchField }' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const body = (await response.json()) as { errors: { extensions: { requestId?: string } }[] };
    expect(body.errors.map((e) => e.extensions.requestId)).toEqual([requestId]);
  });

  it('ignores a request id sent beside the token', async () => {
    const requestId = randomUUID();
    for (const beside of [randomUUID(), 'not-a-request-id']) {
      // A fresh token each time: a token opens the subgraph once.
      const authorization = `Bearer ${signer.tokenFor(PRINCIPAL, 'organizations', requestId)}`;
      const headers = { 'x-fiks-request-id': beside, 'x-request-id': beside };
      expect(await requestIdSeen(authorization, headers)).toBe(requestId);
    }
  });

  it('refuses a token whose request id was changed after signing', async () => {
    const [header, payload, signature] = signer.tokenFor(PRINCIPAL, 'organizations', randomUUID()).split('.');
    const claimsOf = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const changed = Buffer.from(JSON.stringify({ ...claimsOf, rid: randomUUID() })).toString('base64url');
    expectUnauthenticated(await call(`Bearer ${header}.${changed}.${signature}`));
  });

  it('refuses a token with another request id signed by another key', async () => {
    expectUnauthenticated(await call(`Bearer ${await foreignToken({ rid: randomUUID() })}`));
  });

  it('refuses a token for this request replayed to another subgraph', async () => {
    const requestId = randomUUID();
    // The same request id, the same principal, the gateway's own signature: only the audience differs.
    for (const subgraph of ['documents', 'integrations', 'audit']) {
      expectUnauthenticated(await call(`Bearer ${signer.tokenFor(PRINCIPAL, subgraph, requestId)}`));
    }
  });

  it('refuses a token signed by the gateway without a request id, or with one of another shape', async () => {
    // The same claims with a request id open the door: only the request id differs.
    expect((await call(`Bearer ${await signedByGateway(claims())}`)).status).toBe(200);
    expectUnauthenticated(await call(`Bearer ${await signedByGateway(claims(null))}`));
    for (const rid of ['', 'not-a-request-id', randomUUID().toUpperCase(), 42]) {
      expectUnauthenticated(await call(`Bearer ${await signedByGateway({ ...claims(), rid })}`));
    }
  });

  it('signs no request id of another shape', () => {
    expect(() => signer.tokenFor(PRINCIPAL, 'organizations', 'not-a-request-id')).toThrow(/request id/);
  });

  it('refuses a request without a token', async () => {
    expectUnauthenticated(await call());
  });

  it('refuses a token signed by another key', async () => {
    expectUnauthenticated(await call(`Bearer ${await foreignToken({})}`));
  });

  it('refuses a token for another subgraph', async () => {
    expectUnauthenticated(await call(`Bearer ${signer.tokenFor(PRINCIPAL, 'documents', randomUUID())}`));
  });

  it('refuses an expired token', async () => {
    const expired = await createCallerTokenSigner({
      signingKey: undefined,
      ttlSeconds: 60,
      now: () => Date.now() - 3_600_000,
    });
    expectUnauthenticated(await call(`Bearer ${expired.tokenFor(PRINCIPAL, 'organizations', randomUUID())}`));
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const encode = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', typ: 'fiks-caller+jwt' })}.${encode({
      iss: CALLER_TOKEN_ISSUER,
      aud: callerTokenAudience('organizations'),
      iat: now,
      exp: now + 60,
      rid: randomUUID(),
      prn: PRINCIPAL,
    })}.`;
    expectUnauthenticated(await call(`Bearer ${unsigned}`));
  });

  it('refuses a token whose principal has an unknown shape', async () => {
    const tampered = signer.tokenFor({ kind: 'root' } as never, 'organizations', randomUUID());
    expectUnauthenticated(await call(`Bearer ${tampered}`));
  });

  it('keeps the health check open without a token', async () => {
    const response = await fetch(url.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
  });
});
