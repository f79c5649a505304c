// The audit log's configuration: a signing key and a witness outside the application's disk are required in
// production; in development the key is generated once and kept, so checkpoints signed before a restart verify after.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../common/config.ts';
import { auditKeyOf } from '../../subgraphs/audit/signing-key.ts';

const ed25519 = () => JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }));

describe('audit / configuration', () => {
  const production = {
    FIKS_MODE: 'production',
    DATABASE_URL: 'postgres://db/fiks',
    SEED_DEMO_DATA: 'false',
    IDPORTEN_ISSUER: 'https://test.idporten.no',
    MASKINPORTEN_ISSUER: 'https://test.maskinporten.no/',
    SESSION_ENCRYPTION_KEY: 'A'.repeat(43),
    CALLER_SIGNING_KEY: ed25519(),
    AUDIT_SIGNING_KEY: ed25519(),
    AUDIT_WITNESS_FILE: '/var/lib/fiks-witness/audit.jsonl',
    DOCUMENT_KEY_FILE: '/etc/fiks/document-kek.json',
  };

  it('requires the signing key and the witness in production', () => {
    expect(loadConfig(production).auditLog.witnessFile).toBe('/var/lib/fiks-witness/audit.jsonl');
    expect(() => loadConfig({ ...production, AUDIT_SIGNING_KEY: '' })).toThrow(/AUDIT_SIGNING_KEY: required/);
    expect(() => loadConfig({ ...production, AUDIT_WITNESS_FILE: '' })).toThrow(
      /AUDIT_WITNESS_FILE: required/,
    );
  });

  it('keeps everything forever and checkpoints every two seconds unless told otherwise', () => {
    const config = loadConfig({ PGLITE_DIR: '/srv/fiks/pglite' });
    expect(config.auditLog).toEqual({
      signingKey: undefined,
      signingKeyFile: '/srv/fiks/audit/signing-key.json',
      witnessFile: '/srv/fiks/audit/witness.jsonl',
      checkpointIntervalMs: 2000,
      retentionDays: 0,
      snoopingThreshold: 25,
    });
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '365' }).auditLog.retentionDays).toBe(365);
  });

  it.each([
    ['AUDIT_SIGNING_KEY', JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'A', y: 'A', d: 'secret-d' })],
    ['AUDIT_SIGNING_KEY', JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' })],
    ['AUDIT_CHECKPOINT_INTERVAL_MS', '0'],
    ['AUDIT_RETENTION_DAYS', '-1'],
    ['AUDIT_RETENTION_DAYS', 'forever'],
  ])('refuses %s=%s, naming the variable and never echoing a key', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
    expect(() => loadConfig({ [name]: value })).not.toThrow(/secret-d/);
  });

  describe('in development without a key', () => {
    let folder: string;
    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'fiks-audit-key-'));
    });
    afterAll(() => rm(folder, { recursive: true, force: true }));

    it('generates one at the first start, readable only by its owner, and keeps it', async () => {
      const settings = loadConfig({ PGLITE_DIR: join(folder, 'pglite') }).auditLog;
      const first = await auditKeyOf(settings);
      expect((await stat(settings.signingKeyFile)).mode & 0o777).toBe(0o600);
      // A second start (new settings object, nothing cached) signs with the same key.
      const again = await auditKeyOf(loadConfig({ PGLITE_DIR: join(folder, 'pglite') }).auditLog);
      expect(again.keyId).toBe(first.keyId);
      expect(JSON.parse(await readFile(settings.signingKeyFile, 'utf8'))).toHaveProperty('d');
      expect(first.publicJwk).not.toHaveProperty('d');
    });
  });
});
