// The gateway's side of the export when the audit subgraph cannot answer (down, or refusing the gateway's own
// token): the caller gets 503 SERVICE_UNAVAILABLE with the request id and Retry-After, never the subgraph's refusal
// of the platform passed off as the caller's. Real HTTP on loopback: a port nothing listens on, and the real audit
// subgraph trusting another gateway's key.
import { generateKeyPairSync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../common/config.ts';
import { createHttpServer } from '../../common/http-server.ts';
import { createLogger } from '../../common/logger.ts';
import { AUDIT_EXPORT_PATH, registerAuditExport } from '../../gateway/audit-export.ts';
import { createCallerTokenSigner, type CallerTokenSigner } from '../../gateway/caller-token-signer.ts';
import { openDatabase, type Db } from '../../db/database.ts';
import { audit } from '../../subgraphs/audit/index.ts';
import { buildSubgraph } from '../../subgraphs/runtime/start.ts';

describe('audit / export at the gateway, when the audit subgraph cannot answer', () => {
  const logger = createLogger({ level: 'silent', name: 'test' });
  const apps: FastifyInstance[] = [];
  let db: Db;
  afterAll(async () => {
    for (const app of apps) await app.close();
    await db.close();
  });
  const signer = (): Promise<CallerTokenSigner> =>
    createCallerTokenSigner({
      signingKey: generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }),
      ttlSeconds: 60,
    });

  /** A gateway with only the export route, its caller authenticated as a person already. */
  async function gatewayTo(auditUrl: string): Promise<string> {
    const app = createHttpServer({ logger, maxBodyBytes: 1024 });
    app.addHook('onRequest', (request, _reply, done) => {
      request.gatewayPrincipal = { kind: 'person', pid: '12838512311', acr: 'idporten-loa-substantial' };
      done();
    });
    registerAuditExport(app, {
      auditUrl,
      signer: await signer(),
      calls: { connectTimeoutMs: 1000, timeoutMs: 5000, retryAfterSeconds: 7 },
    });
    apps.push(app);
    return app.listen({ host: '127.0.0.1', port: 0 });
  }

  let refusingSubgraph: string;
  beforeAll(async () => {
    db = await openDatabase({ kind: 'pglite' });
    const config = loadConfig({});
    const { app } = await buildSubgraph(audit, {
      db,
      callerKeys: { jwks: (await signer()).jwks },
      logger,
      maxBodyBytes: config.maxBodyBytes,
      seedDemoData: false,
      readinessTimeoutMs: config.readinessTimeoutMs,
    });
    apps.push(app);
    refusingSubgraph = `${await app.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
  });

  const exportFrom = async (gateway: string) => {
    const query = new URLSearchParams({
      orgnr: '910000004',
      from: '2023-01-01T00:00:00Z',
      to: '2023-01-02T00:00:00Z',
    });
    const response = await fetch(`${gateway}${AUDIT_EXPORT_PATH}?${query.toString()}`, {
      headers: { authorization: 'Bearer person' },
    });
    const body = (await response.json()) as { errors: { extensions: { code: string; requestId: string } }[] };
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      code: body.errors[0]!.extensions.code,
      sameRequestId: body.errors[0]!.extensions.requestId === response.headers.get('x-request-id'),
    };
  };
  const UNAVAILABLE = { status: 503, retryAfter: '7', code: 'SERVICE_UNAVAILABLE', sameRequestId: true };

  it('answers 503 when nothing listens where the subgraph should', async () => {
    // Port 9 (discard) on loopback: nothing listens there on a test machine, so the connection is refused.
    expect(await exportFrom(await gatewayTo('http://127.0.0.1:9/graphql'))).toEqual(UNAVAILABLE);
  });

  it("answers 503, not 401, when the subgraph refuses the gateway's token", async () => {
    expect(await exportFrom(await gatewayTo(refusingSubgraph))).toEqual(UNAVAILABLE);
  });
});
