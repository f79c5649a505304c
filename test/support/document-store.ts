// A document store of its own for a test that builds subgraphs without the whole platform: its key-encryption keys
// and content in a temporary folder, never the development ones (./keys, ./data).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type DocumentStoreSettings } from '../../common/config.ts';

export async function temporaryDocumentStore(): Promise<{
  settings: DocumentStoreSettings;
  remove(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'fiks-documents-'));
  const { documents } = loadConfig({
    DOCUMENT_KEY_FILE: join(dir, 'keys', 'document-kek.json'),
    DOCUMENT_CONTENT_DIR: join(dir, 'content'),
  });
  return { settings: documents, remove: () => rm(dir, { recursive: true, force: true }) };
}
