// The key-encryption keys (KEKs) of the document store: the top of its key hierarchy. Each document's content is
// encrypted with its own data key; the data key is stored only wrapped (encrypted) by a KEK, and the KEK is never in
// the database, so a copy of the database alone decrypts nothing. This interface is what a KMS or HSM implements
// later; file-key-encryption-keys.ts is the default, a key file outside the data folder.

/** A data key as stored: which KEK and version wrapped it, and the wrapped bytes. */
export interface WrappedKey {
  keyId: string;
  version: number;
  wrapped: Buffer;
}

/** What a wrap is bound to: a wrapped key copied to another document, or another data key id, does not unwrap. */
export interface WrapContext {
  documentId: string;
  dataKeyId: string;
}

export interface KeyEncryptionKeys {
  /** Which key and version new wraps use. */
  current(): { keyId: string; version: number };
  wrap(dataKey: Buffer, context: WrapContext): Promise<WrappedKey>;
  /**
   * Rejects with KeyUnavailableError (code 'DOCUMENT_KEY_UNAVAILABLE') when the version is unknown or retired,
   * KeyUnwrapError (code 'DOCUMENT_KEY_UNWRAP_FAILED') when the wrapped bytes or the context do not verify.
   * Never returns garbage.
   */
  unwrap(wrapped: WrappedKey, context: WrapContext): Promise<Buffer>;
}

export interface KeyVersion {
  version: number;
  createdAt: string;
  retired: boolean;
  current: boolean;
}

export interface RotatableKeyEncryptionKeys extends KeyEncryptionKeys {
  /** Adds a new version and makes it current; returns it. */
  rotate(): Promise<{ keyId: string; version: number }>;
  /** Removes a version's key material for good (after nothing is wrapped with it). Refuses the current version. */
  retire(version: number): Promise<void>;
  versions(): KeyVersion[];
}

export type DocumentKeyErrorCode = 'DOCUMENT_KEY_UNAVAILABLE' | 'DOCUMENT_KEY_UNWRAP_FAILED';

/** The KEK version a data key names is unknown here or retired: nothing can unwrap it (the data is shredded). */
export class KeyUnavailableError extends Error {
  override name = 'KeyUnavailableError';
  readonly code = 'DOCUMENT_KEY_UNAVAILABLE' satisfies DocumentKeyErrorCode;
}

/** The wrapped bytes, or the document and data key they were presented with, did not verify. */
export class KeyUnwrapError extends Error {
  override name = 'KeyUnwrapError';
  readonly code = 'DOCUMENT_KEY_UNWRAP_FAILED' satisfies DocumentKeyErrorCode;
}
