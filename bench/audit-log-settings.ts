// Every platform a bench starts gets its own audit witness and checkpoint key (and document store) in a temporary folder: a bench run
// must never write to, or sign with, the development ones kept beside ./data.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function benchAuditLogSettings(): Record<
  'AUDIT_WITNESS_FILE' | 'AUDIT_SIGNING_KEY' | 'DOCUMENT_KEY_FILE' | 'DOCUMENT_CONTENT_DIR',
  string
> {
  const dir = mkdtempSync(join(tmpdir(), 'fiks-bench-audit-'));
  return {
    AUDIT_WITNESS_FILE: join(dir, 'witness.jsonl'),
    AUDIT_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
    // The document store's keys and content, likewise never the development ones.
    DOCUMENT_KEY_FILE: join(dir, 'keys', 'document-kek.json'),
    DOCUMENT_CONTENT_DIR: join(dir, 'documents'),
  };
}
