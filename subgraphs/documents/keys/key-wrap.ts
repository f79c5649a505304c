// Wrapping a data key under one KEK version: AES-256-GCM (NIST SP 800-38D) with a random 96-bit nonce. The output is
// nonce ‖ ciphertext ‖ tag. The additional authenticated data binds the wrap to the KEK (id and version) and to the
// document and data key it belongs to, so a wrapped key copied to another row, or relabelled with another version,
// fails authentication instead of decrypting.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DATA_KEY_BYTES } from './data-key.ts';
import { KeyUnwrapError, type WrapContext } from './key-encryption-keys.ts';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const WRAPPED_BYTES = NONCE_BYTES + DATA_KEY_BYTES + TAG_BYTES;
const LABEL = 'fiks-data-key-v1';

export interface KekVersion {
  keyId: string;
  version: number;
  key: Buffer;
}

/** Length-prefixed fields, so no two different contexts serialise to the same bytes. */
export function wrapAad(keyId: string, version: number, context: WrapContext): Buffer {
  const field = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return [length, bytes];
  };
  const versionBytes = Buffer.alloc(4);
  versionBytes.writeUInt32BE(version);
  return Buffer.concat([
    ...field(LABEL),
    ...field(keyId),
    versionBytes,
    // RFC 9562 §4: UUIDs are case-insensitive on input; one spelling, so the database's lower case always matches.
    ...field(context.documentId.toLowerCase()),
    ...field(context.dataKeyId.toLowerCase()),
  ]);
}

export function wrapDataKey(kek: KekVersion, dataKey: Buffer, context: WrapContext): Buffer {
  if (dataKey.length !== DATA_KEY_BYTES) throw new TypeError(`a data key is ${DATA_KEY_BYTES} bytes`);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(wrapAad(kek.keyId, kek.version, context));
  return Buffer.concat([nonce, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
}

/** The data key, or KeyUnwrapError: GCM checks the tag before anything is returned, so never a wrong key. */
export function unwrapDataKey(kek: KekVersion, wrapped: Buffer, context: WrapContext): Buffer {
  if (wrapped.length !== WRAPPED_BYTES) throw new KeyUnwrapError('the wrapped data key has the wrong length');
  const nonce = wrapped.subarray(0, NONCE_BYTES);
  const ciphertext = wrapped.subarray(NONCE_BYTES, NONCE_BYTES + DATA_KEY_BYTES);
  const tag = wrapped.subarray(NONCE_BYTES + DATA_KEY_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', kek.key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(wrapAad(kek.keyId, kek.version, context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    // No cause: OpenSSL's message says nothing useful, and the bytes are nobody's business in a log.
    throw new KeyUnwrapError('the wrapped data key does not verify for this document and key version');
  }
}
