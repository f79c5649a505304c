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
    await this.#fill(size);
    return this.#take(Math.min(size, this.#pendingBytes));
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

  #take(size: number): Buffer {
    const first = this.#pending[0];
    if (first && first.length >= size) {
      // The common case: the bytes are within one chunk, so no copy.
      const taken = first.subarray(0, size);
      if (first.length === size) this.#pending.shift();
      else this.#pending[0] = first.subarray(size);
      this.#pendingBytes -= size;
      return taken;
    }
    const taken = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const chunk = this.#pending[0]!;
      const n = Math.min(chunk.length, size - filled);
      chunk.copy(taken, filled, 0, n);
      filled += n;
      if (n === chunk.length) this.#pending.shift();
      else this.#pending[0] = chunk.subarray(n);
    }
    this.#pendingBytes -= size;
    return taken;
  }
}
