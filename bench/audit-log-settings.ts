// Every platform a bench starts gets its own audit witness and checkpoint key in a temporary folder: a bench run
// must never write to, or sign with, the development ones kept beside ./data.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function benchAuditLogSettings(): { AUDIT_WITNESS_FILE: string; AUDIT_SIGNING_KEY: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fiks-bench-audit-'));
  return {
    AUDIT_WITNESS_FILE: join(dir, 'witness.jsonl'),
    AUDIT_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
  };
}
