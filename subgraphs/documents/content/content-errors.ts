// The errors of encrypted document content. Messages never carry key material, ids or plaintext: the code says what
// failed, and the HTTP layer maps it (a tampered or unopenable document is a server-side fault, a bad range is 416).

export type ContentIntegrityCode =
  /** The key commitment in the header does not match: a wrong data key, or a wrong documentId/keyId binding. */
  | 'DOCUMENT_KEY_MISMATCH'
  /** The ciphertext is not what was written: bad header, a tag that fails, truncation, extra bytes, wrong size. */
  | 'DOCUMENT_CONTENT_TAMPERED';

export class ContentIntegrityError extends Error {
  override readonly name = 'ContentIntegrityError';
  constructor(
    readonly code: ContentIntegrityCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** RFC 9110 §14.1.1: a range whose first position is past the representation's end is unsatisfiable (answer 416). */
export class UnsatisfiableRangeError extends RangeError {
  override readonly name = 'UnsatisfiableRangeError';
  readonly code = 'RANGE_NOT_SATISFIABLE';
}
