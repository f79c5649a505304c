// Streaming, segmented AEAD for document content (docs/DOCUMENT-ENCRYPTION.md): AES-256-GCM over 64 KiB segments,
// each with its own tag, so a document of any size streams in constant memory, a ranged read opens only the
// segments it needs, and no plaintext leaves before the tag of its segment has verified.
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { ExactReader } from './exact-reader.ts';
import {
  newSegmentKeys,
  openHeader,
  openSegment,
  sealSegment,
  tampered,
  type ContentBinding,
  type SegmentKeys,
} from './segment-crypto.ts';
import {
  HEADER_SIZE,
  SEGMENT_SIZE,
  TAG_SIZE,
  segmentPlaintextSize,
  segmentSpan,
  segmentsFor,
  type ByteRange,
} from './segment-layout.ts';

export {
  ContentIntegrityError,
  UnsatisfiableRangeError,
  type ContentIntegrityCode,
} from './content-errors.ts';
export type { ContentBinding } from './segment-crypto.ts';
export {
  HEADER_SIZE,
  SEGMENT_SIZE,
  TAG_SIZE,
  checkRange,
  ciphertextSize,
  segmentSpan,
  segmentsFor,
  type ByteRange,
  type SegmentSpan,
} from './segment-layout.ts';

/**
 * Plaintext in, ciphertext out (header ‖ segments). One segment is held back until more input arrives or the input
 * ends, because the last segment is sealed with the final flag and only the end of input tells which one that is.
 */
export function encryptingStream(dataKey: Buffer, binding: ContentBinding): Transform {
  return new SegmentSealer(newSegmentKeys(dataKey, binding));
}

class SegmentSealer extends Transform {
  readonly #keys: SegmentKeys;
  /** The segment being filled; sealed only once it is known not to be the last. */
  readonly #held = Buffer.allocUnsafe(SEGMENT_SIZE);
  #heldBytes = 0;
  #index = 0;
  #headerSent = false;

  constructor(keys: SegmentKeys) {
    super({ writableHighWaterMark: SEGMENT_SIZE, readableHighWaterMark: SEGMENT_SIZE });
    this.#keys = keys;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#sendHeader();
      let offset = 0;
      while (offset < chunk.length) {
        // More input has arrived, so a full held segment is not the last one.
        if (this.#heldBytes === SEGMENT_SIZE) this.#seal(this.#held, false);
        if (this.#heldBytes === 0 && chunk.length - offset > SEGMENT_SIZE) {
          // A whole segment inside a large chunk, with more bytes after it: seal it in place, without a copy.
          this.#seal(chunk.subarray(offset, offset + SEGMENT_SIZE), false);
          offset += SEGMENT_SIZE;
          continue;
        }
        const copied = chunk.copy(
          this.#held,
          this.#heldBytes,
          offset,
          offset + SEGMENT_SIZE - this.#heldBytes,
        );
        this.#heldBytes += copied;
        offset += copied;
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.#sendHeader();
      this.#seal(this.#held.subarray(0, this.#heldBytes), true);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  #sendHeader(): void {
    if (this.#headerSent) return;
    this.#headerSent = true;
    this.push(this.#keys.header);
  }

  #seal(plaintext: Buffer, final: boolean): void {
    const [ciphertext, tag] = sealSegment(this.#keys, this.#index, final, plaintext);
    this.#index += 1;
    this.#heldBytes = 0;
    this.push(ciphertext);
    this.push(tag);
  }
}

export interface DecryptingStreamOptions {
  dataKey: Buffer;
  binding: ContentBinding;
  /** The document's plaintext size as recorded with it; the segment boundaries follow from it. */
  plaintextSize: number;
  /** Inclusive plaintext byte offsets, as in an HTTP Range header; the whole document without one. */
  range?: ByteRange;
  /**
   * Reads ciphertext bytes [start, endInclusive] from the content store. A range reaching past the object's end must
   * yield the bytes up to the end, as HTTP and S3 do: that is how extra bytes after the last segment are noticed.
   */
  read: (start: number, endInclusive: number) => Promise<Readable>;
}

/**
 * Plaintext of a document (or of a range of it). Resolves only after the header has been checked and the first
 * needed segment has been opened, so a wrong key, a bad header or a tampered first segment rejects the promise while
 * the HTTP layer can still answer with an error status. Later failures destroy the stream with the error.
 */
export async function decryptingStream(options: DecryptingStreamOptions): Promise<Readable> {
  const { plaintextSize, range } = options;
  const span = segmentSpan(plaintextSize, range);
  const lastSegment = segmentsFor(plaintextSize) - 1;
  // Reading the last segment, ask for one byte past the expected end: a byte that comes back was appended.
  const readEnd = span.lastSegment === lastSegment ? span.ciphertextEnd + 1 : span.ciphertextEnd;

  let reader: ExactReader;
  let keys: SegmentKeys;
  if (span.firstSegment === 0) {
    // The header and the segments are adjacent: one read, one request to an object store.
    reader = new ExactReader(await options.read(0, readEnd));
    keys = await openHeaderFrom(reader, options);
  } else {
    const headerReader = new ExactReader(await options.read(0, HEADER_SIZE - 1));
    keys = await openHeaderFrom(headerReader, options);
    headerReader.close();
    reader = new ExactReader(await options.read(span.ciphertextStart, readEnd));
  }

  const openNext = async (index: number): Promise<Buffer[]> => {
    const final = index === lastSegment;
    const expected = segmentPlaintextSize(plaintextSize, index) + TAG_SIZE;
    const sealed = await reader.readPieces(expected);
    if (sealed.reduce((sum, piece) => sum + piece.length, 0) < expected) {
      throw tampered('The document content ends before its size says');
    }
    if (final && !(await reader.atEnd())) throw tampered('The document content is longer than its size says');
    const plaintext = openSegment(keys, index, final, sealed);
    // Only the requested bytes leave: cut the first and the last needed segment to the range.
    const from = range && index === span.firstSegment ? range.start - index * SEGMENT_SIZE : 0;
    const to = range && index === span.lastSegment ? range.end - index * SEGMENT_SIZE + 1 : SEGMENT_SIZE;
    return from === 0 && to === SEGMENT_SIZE ? plaintext : slicePieces(plaintext, from, to);
  };

  let first: Buffer[];
  try {
    first = await openNext(span.firstSegment);
  } catch (error) {
    reader.close();
    throw error;
  }
  async function* segments(): AsyncGenerator<Buffer> {
    try {
      yield* first;
      for (let index = span.firstSegment + 1; index <= span.lastSegment; index++)
        yield* await openNext(index);
    } finally {
      reader.close();
    }
  }
  return Readable.from(segments(), { objectMode: false, highWaterMark: SEGMENT_SIZE });
}

async function openHeaderFrom(reader: ExactReader, options: DecryptingStreamOptions): Promise<SegmentKeys> {
  try {
    return openHeader(await reader.read(HEADER_SIZE), options.dataKey, options.binding);
  } catch (error) {
    reader.close();
    throw error;
  }
}

/** Bytes [from, to) of the concatenation of `pieces`, still as pieces. */
function slicePieces(pieces: Buffer[], from: number, to: number): Buffer[] {
  const sliced: Buffer[] = [];
  let offset = 0;
  for (const piece of pieces) {
    const start = Math.max(from - offset, 0);
    const end = Math.min(to - offset, piece.length);
    if (start < end) sliced.push(piece.subarray(start, end));
    offset += piece.length;
  }
  return sliced;
}
