// The bench prices the read audit against a platform without it (bench/audit-reads.ts), started with the bench-only
// `benchWithoutReadAudit`. It is an option of startPlatform, not a setting, and a production platform refuses it, so
// it can never become a way to switch auditing off.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../common/config.ts';
import { createLogger } from '../../common/logger.ts';
import { startPlatform } from '../../platform/start.ts';

describe('audit / the bench-only switch', () => {
  it('is refused by a platform in production mode', async () => {
    const config = loadConfig({
      FIKS_MODE: 'production',
      DATABASE_URL: 'postgres://db.invalid/fiks',
      SEED_DEMO_DATA: 'false',
      SESSION_ENCRYPTION_KEY: 'A'.repeat(43),
      CALLER_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
      IDPORTEN_ISSUER: 'https://test.idporten.no',
      MASKINPORTEN_ISSUER: 'https://test.maskinporten.no/',
      ALTINN_URL: 'https://platform.tt02.altinn.no',
      AUDIT_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
      AUDIT_WITNESS_FILE: '/nonexistent/witness.jsonl',
      // Required in production since the document store holds encrypted content (issue #11).
      DOCUMENT_KEY_FILE: '/nonexistent/document-kek.json',
    });
    await expect(
      startPlatform({
        config,
        logger: createLogger({ level: 'silent', name: 'test' }),
        // Refused before the database is opened: nothing is started.
        database: { kind: 'pglite' },
        ephemeralPorts: true,
        benchWithoutReadAudit: true,
      }),
    ).rejects.toThrow(/for the bench only/);
  });
});
