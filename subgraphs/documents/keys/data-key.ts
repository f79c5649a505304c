// A document's data key: 32 random bytes (AES-256), fresh for each document, so no two documents share a key and
// deleting one wrapped key shreds exactly one document.
import { randomBytes } from 'node:crypto';

export const DATA_KEY_BYTES = 32;

export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}
