// The whole platform in this test process: gateway and four subgraphs on ephemeral loopback ports, a fresh
// database, synthetic demo data, and every log line captured so tests can assert what was (not) logged.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../common/config.ts';
import { createLogger } from '../../common/logger.ts';
import { startPlatform, type RunningPlatform } from '../../platform/start.ts';
import { createTestDatabase } from './database.ts';
import { integrationHeaders } from './identity.ts';

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

export interface TestPlatform extends RunningPlatform {
  /** Every log line written while the platform ran. */
  logs: string[];
  graphql(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse>;
  /** Headers that authenticate as the demo integration (Maskinporten token, IntegrasjonId, IntegrasjonPassord). */
  asIntegration(): Promise<Record<string, string>>;
}

/** Rate-limit budgets no existing test comes near; a test of the limits sets its own, low ones. */
export const UNTHROTTLED: Record<string, string> = {
  RATE_LIMIT_INTEGRATION_MAX: '1000000',
  RATE_LIMIT_PERSON_MAX: '1000000',
  RATE_LIMIT_ADDRESS_MAX: '1000000',
};

export interface TestPlatformOptions {
  /**
   * The trusted-operations mode of the seeded (demo) integrations. Tests about something else send free-form
   * operations as the demo integration, so they run it in `audit`; the trusted-operations tests pass `safelist`, the
   * default every integration has outside tests (and integrations a test creates still have).
   * @default 'audit'
   */
  integrationOperationsMode?: 'audit' | 'safelist' | 'id-only';
}

export async function startTestPlatform(
  env: Record<string, string> = {},
  options: TestPlatformOptions = {},
): Promise<TestPlatform> {
  const logs: string[] = [];
  // Each platform has its own audit witness and signing key, never the development ones beside ./data.
  const auditDir = await mkdtemp(join(tmpdir(), 'fiks-audit-'));
  const config = loadConfig({
    SEED_DEMO_DATA: 'true',
    LOG_LEVEL: 'info',
    AUDIT_WITNESS_FILE: join(auditDir, 'witness.jsonl'),
    AUDIT_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
    // And its own document store: key-encryption keys and encrypted content in its own folders.
    DOCUMENT_KEY_FILE: join(auditDir, 'keys', 'document-kek.json'),
    DOCUMENT_CONTENT_DIR: join(auditDir, 'documents'),
    ...UNTHROTTLED,
    ...env,
  });
  const logger = createLogger({
    level: config.logLevel,
    name: 'test',
    destination: { write: (line) => logs.push(line) },
  });
  const database = await createTestDatabase();
  const platform = await startPlatform({
    config,
    logger,
    database: database.target,
    ephemeralPorts: true,
  }).catch(async (error: unknown) => {
    await database.drop();
    await rm(auditDir, { recursive: true, force: true });
    throw error;
  });
  await platform.db.query('update integrations.integration set operations_mode = $1', [
    options.integrationOperationsMode ?? 'audit',
  ]);
  return {
    ...platform,
    logs,
    async stop() {
      await platform.stop();
      await database.drop();
      await rm(auditDir, { recursive: true, force: true });
    },
    asIntegration: () => integrationHeaders(platform),
    async graphql(query, variables, headers) {
      const response = await fetch(`${platform.gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return {
        status: response.status,
        headers: response.headers,
        body: (await response.json()) as GraphQLResponse['body'],
      };
    },
  };
}
