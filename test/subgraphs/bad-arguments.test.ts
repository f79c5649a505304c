// A subgraph checks its own input (issue #9 item 5): called directly with a valid caller token — as if the gateway's
// check had been bypassed — every bad value of every root field argument of each subgraph's own schema answers
// BAD_USER_INPUT with no data, before any store is asked, and nothing is logged at error level.
import { generateKeyPairSync } from 'node:crypto';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { FastifyInstance } from 'fastify';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../access/principal.ts';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { createLogger } from '../../common/logger.ts';
import type { SubgraphName } from '../../common/subgraph-names.ts';
import { openDatabase, type Db } from '../../db/database.ts';
import { createCallerTokenSigner, type CallerTokenSigner } from '../../gateway/caller-token-signer.ts';
import { SUBGRAPHS } from '../../subgraphs/index.ts';
import { buildSubgraph } from '../../subgraphs/runtime/start.ts';
import { badArgumentCases, caseOperation } from '../support/bad-argument-cases.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { temporaryDocumentStore } from '../support/document-store.ts';

/** An administrator: the caller whose valid input would reach the stores. */
const KARI: Principal = { kind: 'person', pid: DEMO_PERSONS.kari.pid, acr: 'idporten-loa-substantial' };
const CASES = Object.entries(SUBGRAPHS).flatMap(([name, module]) =>
  badArgumentCases(buildSubgraphSchema({ typeDefs: module.typeDefs })).map((c) => ({
    ...c,
    subgraph: name as SubgraphName,
  })),
);

describe('subgraphs / bad arguments stop at each subgraph too', () => {
  const logs: string[] = [];
  let database: TestDatabase;
  let db: Db;
  let signer: CallerTokenSigner;
  const apps = new Map<SubgraphName, FastifyInstance>();
  let documentStore: Awaited<ReturnType<typeof temporaryDocumentStore>>;

  beforeAll(async () => {
    documentStore = await temporaryDocumentStore();
    const signingKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as JWK;
    signer = await createCallerTokenSigner({ signingKey, ttlSeconds: 60 });
    database = await createTestDatabase();
    db = await openDatabase(database.target);
    const logger = createLogger({ level: 'info', name: 'test', destination: { write: (l) => logs.push(l) } });
    for (const [name, module] of Object.entries(SUBGRAPHS)) {
      const { app } = await buildSubgraph(module, {
        db,
        callerKeys: { jwks: signer.jwks },
        logger,
        maxBodyBytes: 102_400,
        seedDemoData: true,
        readinessTimeoutMs: 1000,
        documents: documentStore.settings,
      });
      apps.set(name as SubgraphName, app);
    }
  });
  afterAll(async () => {
    for (const app of apps.values()) await app.close();
    await db.close();
    await database.drop();
    await documentStore.remove();
  });

  it.each(CASES.map((c) => [`${c.subgraph}: ${c.title}`, c] as const))('refuses %s', async (_, c) => {
    const logged = logs.length;
    const response = await apps.get(c.subgraph)!.inject({
      method: 'POST',
      url: '/graphql',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${signer.tokenFor(KARI, c.subgraph, crypto.randomUUID())}`,
      },
      payload: JSON.stringify({ query: caseOperation(c), variables: c.args }),
    });
    const body = response.json<{ data?: unknown; errors?: { extensions?: { code?: string } }[] }>();
    expect(response.statusCode).toBeLessThan(500);
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(body.data ?? null).toBeNull();
    const lines = logs.slice(logged).map((line) => JSON.parse(line) as { level: number });
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  });
});
