// Where things sit in the segmented AEAD format (docs/DOCUMENT-ENCRYPTION.md, "Byte layout"): sizes and offsets
// only, computed from the plaintext size, so a ranged read can ask the content store for just the segments it needs.
import { UnsatisfiableRangeError } from './content-errors.ts';

/** Plaintext bytes per segment; every segment but the last holds exactly this many. */
export const SEGMENT_SIZE = 65536;
/** AES-GCM's authentication tag, appended to each segment's ciphertext. */
export const TAG_SIZE = 16;
/** Ciphertext bytes of a full segment. */
export const SEALED_SEGMENT_SIZE = SEGMENT_SIZE + TAG_SIZE;

export const MAGIC = Buffer.from('FKSD', 'latin1');
export const FORMAT_VERSION = 1;
export const SALT_SIZE = 32;
export const NONCE_PREFIX_SIZE = 7;
export const COMMITMENT_SIZE = 32;

/** Offsets of the header's fields: magic 4, version 1, segment size 4, salt 32, nonce prefix 7, commitment 32. */
export const HEADER_LAYOUT = {
  magic: 0,
  version: 4,
  segmentSize: 5,
  salt: 9,
  noncePrefix: 9 + SALT_SIZE,
  commitment: 9 + SALT_SIZE + NONCE_PREFIX_SIZE,
} as const;
export const HEADER_SIZE = HEADER_LAYOUT.commitment + COMMITMENT_SIZE;

/** The segment counter is a uint32 in the nonce, so a document has at most 2^32 segments (256 TiB). */
export const MAX_SEGMENTS = 2 ** 32;

function checkPlaintextSize(plaintextSize: number): void {
  if (!Number.isSafeInteger(plaintextSize) || plaintextSize < 0) {
    throw new RangeError('The plaintext size must be a non-negative integer');
  }
}

/** Segments of a plaintext: one empty final segment for an empty plaintext, else ceil(size / SEGMENT_SIZE). */
export function segmentsFor(plaintextSize: number): number {
  checkPlaintextSize(plaintextSize);
  const segments = plaintextSize === 0 ? 1 : Math.ceil(plaintextSize / SEGMENT_SIZE);
  if (segments > MAX_SEGMENTS)
    throw new RangeError('The plaintext is larger than the format allows (256 TiB)');
  return segments;
}

export function ciphertextSize(plaintextSize: number): number {
  return HEADER_SIZE + plaintextSize + segmentsFor(plaintextSize) * TAG_SIZE;
}

/** Plaintext bytes in segment `index` of a plaintext of `plaintextSize` bytes. */
export function segmentPlaintextSize(plaintextSize: number, index: number): number {
  const last = segmentsFor(plaintextSize) - 1;
  return index < last ? SEGMENT_SIZE : plaintextSize - last * SEGMENT_SIZE;
}

/** Ciphertext offset of segment `index` (every segment before it is full). */
export function segmentOffset(index: number): number {
  return HEADER_SIZE + index * SEALED_SEGMENT_SIZE;
}

/** Inclusive plaintext byte offsets, as in an HTTP Range header. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Checks RFC 9110's rule for a satisfiable range of a representation of `plaintextSize` bytes. */
export function checkRange(range: ByteRange, plaintextSize: number): void {
  checkPlaintextSize(plaintextSize);
  const { start, end } = range;
  if (
    !Number.isSafeInteger(start) ||
    !Number.isSafeInteger(end) ||
    start < 0 ||
    end < start ||
    end >= plaintextSize
  ) {
    throw new UnsatisfiableRangeError(
      `The range is not satisfiable for a document of ${plaintextSize} bytes`,
    );
  }
}

/** Which segments a plaintext range needs, and the ciphertext bytes that hold them (inclusive). */
export interface SegmentSpan {
  firstSegment: number;
  lastSegment: number;
  /** Ciphertext offset of the first needed segment. */
  ciphertextStart: number;
  /** Last ciphertext byte of the last needed segment. */
  ciphertextEnd: number;
}

/** The segments that hold `range`, or every segment when there is no range (an empty plaintext has one). */
export function segmentSpan(plaintextSize: number, range?: ByteRange): SegmentSpan {
  const segments = segmentsFor(plaintextSize);
  if (range) checkRange(range, plaintextSize);
  const firstSegment = range ? Math.floor(range.start / SEGMENT_SIZE) : 0;
  const lastSegment = range ? Math.floor(range.end / SEGMENT_SIZE) : segments - 1;
  return {
    firstSegment,
    lastSegment,
    ciphertextStart: segmentOffset(firstSegment),
    ciphertextEnd:
      segmentOffset(lastSegment) + segmentPlaintextSize(plaintextSize, lastSegment) + TAG_SIZE - 1,
  };
}
