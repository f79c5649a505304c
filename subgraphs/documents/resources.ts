// What the documents subgraph opens besides its database: the key-encryption keys (never in the database) and the
// content store (encrypted content only). Opened once at start; a production start without its key file fails here.
import type { DocumentStoreSettings } from '../../common/config.ts';
import type { Logger } from '../../common/logger.ts';
import type { SubgraphSettings } from '../runtime/types.ts';
import type { ContentStore } from './content/content-store.ts';
import { FileContentStore } from './content/file-content-store.ts';
import { openFileKeyEncryptionKeys } from './keys/file-key-encryption-keys.ts';
import type { KeyEncryptionKeys } from './keys/key-encryption-keys.ts';

export interface DocumentResources {
  keys: KeyEncryptionKeys;
  content: ContentStore;
  settings: DocumentStoreSettings;
}

export async function openDocumentResources(
  settings: SubgraphSettings,
  logger: Logger,
): Promise<DocumentResources> {
  const documents = settings.documents;
  if (!documents)
    throw new Error('the documents subgraph needs the document store settings (keys, content folder)');
  const keys = await openFileKeyEncryptionKeys(documents.keyFile, { create: documents.createKeyFile });
  const content = new FileContentStore(documents.contentDir);
  // Temporaries of uploads a crash cut off; their documents are removed by the purge job (purge.ts).
  const removed = await content.removeIncomplete();
  if (removed > 0) logger.warn({ removed }, 'incomplete uploads removed from the content store');
  return { keys, content, settings: documents };
}
