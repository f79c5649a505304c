// Reads exact byte counts from a stream of arbitrary chunks: a sealed segment must be opened whole, and where the
// content store's chunks fall is its own business.
import type { Readable } from 'node:stream';

export class ExactReader {
  readonly #chunks: AsyncIterator<Buffer>;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #ended = false;

  constructor(readonly source: Readable) {
    this.#chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** The next `size` bytes, or fewer when the stream ends first. */
  async read(size: number): Promise<Buffer> {
    const pieces = await this.readPieces(size);
    return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
  }

  /** Whether the stream has no bytes left (waits for its end or for one more byte, which stays unread). */
  async atEnd(): Promise<boolean> {
    await this.#fill(1);
    return this.#pendingBytes === 0;
  }

  /** Stops reading: the source is destroyed, so a file or connection behind it is released. */
  close(): void {
    this.source.destroy();
  }

  async #fill(size: number): Promise<void> {
    while (this.#pendingBytes < size && !this.#ended) {
      const next = await this.#chunks.next();
      if (next.done) this.#ended = true;
      else if (next.value.length > 0) {
        this.#pending.push(next.value);
        this.#pendingBytes += next.value.length;
      }
    }
  }

  /** The next `size` bytes as the chunks they arrived in (cut to size, never copied), or fewer at the end. */
  async readPieces(size: number): Promise<Buffer[]> {
    await this.#fill(size);
    const pieces: Buffer[] = [];
    let wanted = Math.min(size, this.#pendingBytes);
    this.#pendingBytes -= wanted;
    while (wanted > 0) {
      const chunk = this.#pending[0]!;
      if (chunk.length <= wanted) {
        pieces.push(chunk);
        this.#pending.shift();
        wanted -= chunk.length;
      } else {
        pieces.push(chunk.subarray(0, wanted));
        this.#pending[0] = chunk.subarray(wanted);
        wanted = 0;
      }
    }
    return pieces;
  }
}
