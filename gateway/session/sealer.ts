// Encryption at rest for what a browser session keeps in the database: ID-porten's tokens, the person's pid and
// the PKCE verifier of a login in progress. AES-256-GCM with a fresh 96-bit IV per value; the key id travels in
// every sealed value, and each value is bound (as additional authenticated data) to its row and column, so a
// ciphertext copied to another session or another column does not open.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const B64URL = /^[A-Za-z0-9_-]*$/;

export interface Sealer {
  /** Identifies the key without revealing it (a truncated hash), so a value sealed under another key is told apart. */
  readonly keyId: string;
  /** `v1.<keyId>.<iv>.<ciphertext>.<tag>`, each part base64url. */
  seal(plaintext: string, context: string): string;
  /** The plaintext; throws when the value was sealed under another key or context, or was altered. */
  open(sealed: string, context: string): string;
}

export class SealError extends Error {
  override name = 'SealError';
}

/** A base64url key of exactly 32 bytes, or undefined for a fresh random key (development: sessions end at restart). */
export function createSealer(encodedKey: string | undefined): Sealer {
  const key = encodedKey === undefined ? randomBytes(32) : decodeKey(encodedKey);
  const keyId = createHash('sha256')
    .update('fiks-gateway session key id\0')
    .update(key)
    .digest()
    .subarray(0, 6)
    .toString('base64url');
  return {
    keyId,
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, keyId, iv, ciphertext, tag]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed, context) {
      const parts = sealed.split('.');
      if (parts.length !== 5 || parts[0] !== VERSION || !parts.every((p) => B64URL.test(p))) {
        throw new SealError('not a sealed value');
      }
      if (parts[1] !== keyId) throw new SealError('sealed under another key');
      const iv = Buffer.from(parts[2]!, 'base64url');
      const ciphertext = Buffer.from(parts[3]!, 'base64url');
      const tag = Buffer.from(parts[4]!, 'base64url');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SealError('not a sealed value');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new SealError('sealed value does not open', { cause: error });
      }
    },
  };
}

function decodeKey(encoded: string): Buffer {
  const key = /^[A-Za-z0-9_-]{43}$/.test(encoded) ? Buffer.from(encoded, 'base64url') : undefined;
  if (key?.length !== 32) throw new TypeError('the session encryption key must be 32 bytes, base64url');
  return key;
}
