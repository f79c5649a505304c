// Where encrypted document content is kept: a store of opaque, immutable objects named by id. The interface is what
// an S3-compatible object store can implement as well as the file store (file-content-store.ts): whole-object puts
// that appear only when complete, ranged gets, a size (HEAD), idempotent deletes. Content reaching it is already
// encrypted (segmented-aead.ts); the store never sees plaintext or keys.
import type { Readable } from 'node:stream';

export type ContentStoreCode = 'CONTENT_NOT_FOUND' | 'CONTENT_EXISTS' | 'CONTENT_ID_INVALID';

export class ContentStoreError extends Error {
  override readonly name = 'ContentStoreError';
  constructor(
    readonly code: ContentStoreCode,
    message: string,
  ) {
    super(message);
  }
}

/** Inclusive byte offsets, as in an HTTP Range header. */
export interface ContentRange {
  start: number;
  end: number;
}

export interface ContentStore {
  /**
   * Stores the whole stream as object `id`; the object appears only once complete (write to a temporary name,
   * fsync, rename — or an object store's single PUT or completed multipart upload). On any error or abort, nothing remains and the promise rejects. Refuses an id that exists
   * (code CONTENT_EXISTS): content is immutable, a new version is a new object.
   */
  write(id: string, content: Readable): Promise<{ bytes: number }>;
  /**
   * Reads bytes [start, endInclusive] (whole object without a range). Rejects with an error whose code is
   * 'CONTENT_NOT_FOUND' if missing. A range reaching past the end yields the bytes up to the end, as HTTP and S3 do.
   */
  read(id: string, range?: ContentRange): Promise<Readable>;
  /** The object's size in bytes, or null when there is none. */
  size(id: string): Promise<number | null>;
  /** Idempotent. */
  delete(id: string): Promise<void>;
  /** Removes temporaries left by a crash (called at start). Returns how many it removed. */
  removeIncomplete(): Promise<number>;
}
