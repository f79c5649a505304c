// The cryptography of one document's segments (docs/DOCUMENT-ENCRYPTION.md): the header, the keys derived from the
// data key, the nonce of each segment and the associated data. AES-256-GCM from node:crypto does the sealing.
import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { ContentIntegrityError } from './content-errors.ts';
import {
  COMMITMENT_SIZE,
  FORMAT_VERSION,
  HEADER_LAYOUT,
  HEADER_SIZE,
  MAGIC,
  MAX_SEGMENTS,
  NONCE_PREFIX_SIZE,
  SALT_SIZE,
  SEGMENT_SIZE,
  TAG_SIZE,
} from './segment-layout.ts';

/** What a document's ciphertext is bound to: opening it under another document or data key id fails. */
export interface ContentBinding {
  documentId: string;
  /** The data key's own id; it stays the same when the key-encryption key is rotated. */
  keyId: string;
}

export const DATA_KEY_SIZE = 32;
const SEGMENT_KEY_INFO = 'fiks-document-v1';
const COMMITMENT_INFO = 'fiks-document-commitment-v1';
// RFC 5869 §2.3 and node's hkdfSync: info is at most 1024 bytes; this leaves room for both ids and the label.
const MAX_ID_BYTES = 256;

/** documentId ‖ keyId, each as a uint16 BE length and UTF-8, so ("ab","c") and ("a","bc") differ. */
function encodeBinding(binding: ContentBinding): Buffer {
  const parts: Buffer[] = [];
  for (const id of [binding.documentId, binding.keyId]) {
    if (typeof id !== 'string' || id.length === 0)
      throw new TypeError('documentId and keyId must be non-empty');
    const bytes = Buffer.from(id, 'utf8');
    if (bytes.length > MAX_ID_BYTES)
      throw new RangeError(`documentId and keyId are at most ${MAX_ID_BYTES} bytes`);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(bytes.length);
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
}

function derive(dataKey: Buffer, salt: Buffer, label: string, binding: Buffer): Buffer {
  const info = Buffer.concat([Buffer.from(label, 'latin1'), binding]);
  return Buffer.from(hkdfSync('sha256', dataKey, salt, info, 32));
}

/** Everything needed to seal or open the segments of one document, derived once from the header. */
export interface SegmentKeys {
  header: Buffer;
  segmentKey: KeyObject;
  noncePrefix: Buffer;
  /** The full header ‖ the length-prefixed binding: the associated data of every segment. */
  associatedData: Buffer;
}

function checkDataKey(dataKey: Buffer): void {
  if (!Buffer.isBuffer(dataKey) || dataKey.length !== DATA_KEY_SIZE) {
    throw new TypeError(`The data key must be ${DATA_KEY_SIZE} bytes`);
  }
}

/** A fresh header (random salt and nonce prefix) and the keys to seal a new document's segments. */
export function newSegmentKeys(dataKey: Buffer, binding: ContentBinding): SegmentKeys {
  checkDataKey(dataKey);
  const encodedBinding = encodeBinding(binding);
  const salt = randomBytes(SALT_SIZE);
  const noncePrefix = randomBytes(NONCE_PREFIX_SIZE);
  const header = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(header, HEADER_LAYOUT.magic);
  header.writeUInt8(FORMAT_VERSION, HEADER_LAYOUT.version);
  header.writeUInt32BE(SEGMENT_SIZE, HEADER_LAYOUT.segmentSize);
  salt.copy(header, HEADER_LAYOUT.salt);
  noncePrefix.copy(header, HEADER_LAYOUT.noncePrefix);
  derive(dataKey, salt, COMMITMENT_INFO, encodedBinding).copy(header, HEADER_LAYOUT.commitment);
  return keysFor(dataKey, header, salt, noncePrefix, encodedBinding);
}

function keysFor(
  dataKey: Buffer,
  header: Buffer,
  salt: Buffer,
  noncePrefix: Buffer,
  encodedBinding: Buffer,
): SegmentKeys {
  return {
    header,
    segmentKey: createSecretKey(derive(dataKey, salt, SEGMENT_KEY_INFO, encodedBinding)),
    noncePrefix,
    associatedData: Buffer.concat([header, encodedBinding]),
  };
}

/**
 * Checks a stored header and derives the keys to open the segments. The format fields are checked first (a wrong
 * format is tampering); then the key commitment, which only the right data key and binding reproduce.
 */
export function openHeader(stored: Buffer, dataKey: Buffer, binding: ContentBinding): SegmentKeys {
  checkDataKey(dataKey);
  const encodedBinding = encodeBinding(binding);
  if (stored.length !== HEADER_SIZE) throw tampered('The document content is shorter than its header');
  // A copy: the stored bytes may be a view into a larger chunk of the store's stream.
  const header = Buffer.from(stored);
  if (!header.subarray(HEADER_LAYOUT.magic, HEADER_LAYOUT.magic + MAGIC.length).equals(MAGIC)) {
    throw tampered('The document content does not start with the format magic');
  }
  if (header.readUInt8(HEADER_LAYOUT.version) !== FORMAT_VERSION) {
    throw tampered('The document content has an unknown format version');
  }
  if (header.readUInt32BE(HEADER_LAYOUT.segmentSize) !== SEGMENT_SIZE) {
    throw tampered('The document content has an unsupported segment size');
  }
  const salt = header.subarray(HEADER_LAYOUT.salt, HEADER_LAYOUT.salt + SALT_SIZE);
  const noncePrefix = header.subarray(
    HEADER_LAYOUT.noncePrefix,
    HEADER_LAYOUT.noncePrefix + NONCE_PREFIX_SIZE,
  );
  const commitment = header.subarray(HEADER_LAYOUT.commitment, HEADER_LAYOUT.commitment + COMMITMENT_SIZE);
  // GCM is not key-committing: without this check a wrong key would look like tampering (and in theory a crafted
  // ciphertext could open under two keys). The commitment tells the two apart before any segment is tried.
  if (!timingSafeEqual(commitment, derive(dataKey, salt, COMMITMENT_INFO, encodedBinding))) {
    throw new ContentIntegrityError(
      'DOCUMENT_KEY_MISMATCH',
      'The data key or the document binding does not open this document (key commitment mismatch)',
    );
  }
  return keysFor(dataKey, header, salt, noncePrefix, encodedBinding);
}

/** nonce prefix (7) ‖ segment counter (uint32 BE) ‖ last-segment flag (1), as Tink's streaming AEAD and age's STREAM. */
function nonceFor(keys: SegmentKeys, index: number, final: boolean): Buffer {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_SEGMENTS) {
    throw new RangeError('The document has more segments than the format allows (256 TiB)');
  }
  const nonce = Buffer.allocUnsafe(12);
  keys.noncePrefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, NONCE_PREFIX_SIZE);
  nonce.writeUInt8(final ? 1 : 0, NONCE_PREFIX_SIZE + 4);
  return nonce;
}

/** Seals one segment: returns its ciphertext and its tag (the caller writes them one after the other). */
export function sealSegment(
  keys: SegmentKeys,
  index: number,
  final: boolean,
  plaintext: Buffer,
): [Buffer, Buffer] {
  const cipher = createCipheriv('aes-256-gcm', keys.segmentKey, nonceFor(keys, index, final));
  cipher.setAAD(keys.associatedData);
  const ciphertext = cipher.update(plaintext);
  cipher.final();
  return [ciphertext, cipher.getAuthTag()];
}

/**
 * Opens one sealed segment (ciphertext ‖ tag), given as the pieces the store's chunks cut it into, so a segment that
 * straddles two chunks is not copied first. Returns the plaintext in as many pieces; none of it unless the tag
 * verifies.
 */
export function openSegment(keys: SegmentKeys, index: number, final: boolean, sealed: Buffer[]): Buffer[] {
  let ciphertextBytes = sealed.reduce((sum, piece) => sum + piece.length, 0) - TAG_SIZE;
  if (ciphertextBytes < 0) throw tampered('A segment of the document content is cut short');
  const decipher = createDecipheriv('aes-256-gcm', keys.segmentKey, nonceFor(keys, index, final));
  decipher.setAAD(keys.associatedData);
  const plaintext: Buffer[] = [];
  const tag: Buffer[] = [];
  for (const piece of sealed) {
    const inCiphertext = Math.min(piece.length, ciphertextBytes);
    ciphertextBytes -= inCiphertext;
    if (inCiphertext > 0) plaintext.push(decipher.update(piece.subarray(0, inCiphertext)));
    if (inCiphertext < piece.length) tag.push(piece.subarray(inCiphertext));
  }
  decipher.setAuthTag(tag.length === 1 ? tag[0]! : Buffer.concat(tag));
  try {
    decipher.final();
  } catch (error) {
    throw tampered('A segment of the document content fails its authentication tag', error);
  }
  return plaintext;
}

export function tampered(message: string, cause?: unknown): ContentIntegrityError {
  return new ContentIntegrityError(
    'DOCUMENT_CONTENT_TAMPERED',
    message,
    cause === undefined ? {} : { cause },
  );
}
