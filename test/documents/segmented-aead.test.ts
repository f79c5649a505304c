// The segmented AEAD format of document content (docs/DOCUMENT-ENCRYPTION.md): round trips, ranged reads that ask the
// store only for the segments they need, and every kind of tampering, each refused with its code before any
// plaintext of the bad segment leaves. Real encryption throughout; only the store's read is a spy over a Buffer.
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HEADER_SIZE,
  SEGMENT_SIZE,
  TAG_SIZE,
  ciphertextSize,
  decryptingStream,
  encryptingStream,
  segmentsFor,
  type ContentBinding,
  type ContentIntegrityCode,
} from '../../subgraphs/documents/content/segmented-aead.ts';
import { HEADER_LAYOUT, segmentOffset } from '../../subgraphs/documents/content/segment-layout.ts';

const S = SEGMENT_SIZE;

function newBinding(): ContentBinding {
  return { documentId: randomUUID(), keyId: randomUUID() };
}

/** Plaintext fed in chunks of the given sizes, repeated. */
function chunked(data: Buffer, sizes: number[]): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0, i = 0; offset < data.length; i++) {
    const size = sizes[i % sizes.length]!;
    chunks.push(data.subarray(offset, offset + size));
    offset += size;
  }
  return Readable.from(chunks);
}

async function encrypt(
  plaintext: Buffer,
  key: Buffer,
  binding: ContentBinding,
  sizes = [plaintext.length || 1],
) {
  return buffer(chunked(plaintext, sizes).pipe(encryptingStream(key, binding)));
}

interface Opened {
  bytes: Buffer;
  error: (Error & { code?: string }) | undefined;
  /** Whether decryptingStream itself rejected (rather than the stream failing later). */
  rejected: boolean;
  reads: [number, number][];
}

/** Opens `stored` through decryptingStream, as the HTTP layer would, recording the store reads and what arrived. */
async function open(
  stored: Buffer,
  options: {
    key: Buffer;
    binding: ContentBinding;
    plaintextSize: number;
    range?: { start: number; end: number };
  },
  storeChunk = 50_000,
): Promise<Opened> {
  const reads: [number, number][] = [];
  const read = (start: number, end: number) => {
    reads.push([start, end]);
    return Promise.resolve(chunked(stored.subarray(start, end + 1), [storeChunk]));
  };
  let stream: Readable;
  try {
    stream = await decryptingStream({ ...options, dataKey: options.key, read });
  } catch (error) {
    return { bytes: Buffer.alloc(0), error: error as Error, rejected: true, reads };
  }
  const received: Buffer[] = [];
  const error = await new Promise<Error | undefined>((resolve) => {
    stream.on('data', (chunk: Buffer) => received.push(chunk));
    stream.on('end', () => resolve(undefined));
    stream.on('error', resolve);
  });
  return { bytes: Buffer.concat(received), error, rejected: false, reads };
}

function segment(stored: Buffer, index: number, plaintextSize: number): Buffer {
  const end = Math.min(segmentOffset(index + 1), ciphertextSize(plaintextSize));
  return stored.subarray(segmentOffset(index), end);
}

function flipBit(data: Buffer, at: number): Buffer {
  const copy = Buffer.from(data);
  copy[at]! ^= 0x04;
  return copy;
}

describe('documents / content / segmented AEAD', () => {
  describe('round trip', () => {
    const cases: [number, number[]][] = [
      [0, [1]],
      [1, [1]],
      [65535, [1, 7, 4099]],
      [65536, [65536]],
      [65536, [3, 65533, 1]],
      [65537, [65537]],
      [65537, [13_001]],
      [3 * 2 ** 20 + 17, [4099]],
      [3 * 2 ** 20 + 17, [65537, 1, 131_071]],
      [3 * 2 ** 20 + 17, [3 * 2 ** 20 + 17]],
    ];
    it.each(cases)('gives back %i bytes fed in chunks of %j', async (size, sizes) => {
      const key = randomBytes(32);
      const binding = newBinding();
      const plaintext = randomBytes(size);
      const stored = await encrypt(plaintext, key, binding, sizes);
      expect(stored.length).toBe(ciphertextSize(size));
      expect(stored.subarray(0, 4).toString('latin1')).toBe('FKSD');
      const opened = await open(stored, { key, binding, plaintextSize: size }, 4097);
      expect(opened.error).toBeUndefined();
      expect(opened.bytes.equals(plaintext)).toBe(true);
    });

    it('counts segments: one empty final segment for nothing, else ceil(size / 64 KiB)', () => {
      expect([0, 1, S - 1, S, S + 1, 3 * S].map(segmentsFor)).toEqual([1, 1, 1, 1, 2, 3]);
      expect(ciphertextSize(0)).toBe(HEADER_SIZE + TAG_SIZE);
      expect(ciphertextSize(S + 1)).toBe(HEADER_SIZE + S + 1 + 2 * TAG_SIZE);
    });

    it('seals the same plaintext differently each time (fresh salt and nonce prefix)', async () => {
      const key = randomBytes(32);
      const binding = newBinding();
      const plaintext = randomBytes(1000);
      const [a, b] = [await encrypt(plaintext, key, binding), await encrypt(plaintext, key, binding)];
      expect(a.subarray(HEADER_LAYOUT.salt).equals(b.subarray(HEADER_LAYOUT.salt))).toBe(false);
    });

    it('refuses a data key that is not 32 bytes, without naming it', () => {
      expect(() => encryptingStream(randomBytes(16), newBinding())).toThrow('The data key must be 32 bytes');
    });

    it('round-trips any size, chunking and store chunking (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 4 * S + 3 }),
          fc.array(fc.integer({ min: 1, max: 3 * S }), { minLength: 1, maxLength: 4 }),
          fc.integer({ min: 1, max: 2 * S }),
          async (size, sizes, storeChunk) => {
            const key = randomBytes(32);
            const binding = newBinding();
            const plaintext = randomBytes(size);
            const stored = await encrypt(plaintext, key, binding, sizes);
            const opened = await open(stored, { key, binding, plaintextSize: size }, storeChunk);
            expect(opened.error).toBeUndefined();
            expect(opened.bytes.equals(plaintext)).toBe(true);
          },
        ),
        { numRuns: 25 },
      );
    });
  });

  describe('ranges', () => {
    const size = 3 * S + 17;
    const plaintext = randomBytes(size);
    const key = randomBytes(32);
    const binding = newBinding();
    const stored = encrypt(plaintext, key, binding, [10_007]);

    /** The reads a range needs: the header, then the span of its segments (one read when it starts at segment 0). */
    function expectedReads(start: number, end: number): [number, number][] {
      const first = Math.floor(start / S);
      const last = Math.floor(end / S);
      const isFinal = last === segmentsFor(size) - 1;
      const spanEnd = segmentOffset(last) + Math.min(S, size - last * S) + TAG_SIZE - 1 + (isFinal ? 1 : 0);
      return first === 0
        ? [[0, spanEnd]]
        : [
            [0, HEADER_SIZE - 1],
            [segmentOffset(first), spanEnd],
          ];
    }

    const ranges: [string, number, number][] = [
      ['the first byte', 0, 0],
      ['the last byte', size - 1, size - 1],
      ['the whole document', 0, size - 1],
      ['inside one segment', 10, 20],
      ['inside a middle segment', S + 5, 2 * S - 7],
      ['exactly one middle segment', S, 2 * S - 1],
      ['across one boundary', S - 1, S],
      ['across two boundaries', S - 1, 2 * S + 1],
      ['the last segment only', 3 * S, size - 1],
      ['from a middle segment to the end', 2 * S + 9, size - 1],
      ['the last byte of a middle segment', 2 * S - 1, 2 * S - 1],
    ];
    it.each(ranges)('gives exactly %s, reading only its segments', async (_name, start, end) => {
      const opened = await open(await stored, { key, binding, plaintextSize: size, range: { start, end } });
      expect(opened.error).toBeUndefined();
      expect(opened.bytes.equals(plaintext.subarray(start, end + 1))).toBe(true);
      expect(opened.reads).toEqual(expectedReads(start, end));
    });

    it('gives exactly any range, reading only its segments (property)', async () => {
      const whole = await stored;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: size - 1 }),
          fc.integer({ min: 0, max: size - 1 }),
          async (a, b) => {
            const [start, end] = a <= b ? [a, b] : [b, a];
            const opened = await open(whole, { key, binding, plaintextSize: size, range: { start, end } });
            expect(opened.bytes.equals(plaintext.subarray(start, end + 1))).toBe(true);
            expect(opened.reads).toEqual(expectedReads(start, end));
          },
        ),
        { numRuns: 40 },
      );
    });

    const unsatisfiable: [string, number, number, number][] = [
      ['an end past the last byte', size, 0, size],
      ['a start past the end', size, size, size],
      ['an end before the start', size, 10, 9],
      ['a negative start', size, -1, 5],
      ['a fractional offset', size, 0.5, 5],
      ['any range of an empty document', 0, 0, 0],
    ];
    it.each(unsatisfiable)(
      'refuses %s as unsatisfiable, before reading',
      async (_name, plaintextSize, start, end) => {
        const opened = await open(await stored, { key, binding, plaintextSize, range: { start, end } });
        expect(opened.rejected).toBe(true);
        expect(opened.error).toMatchObject({
          name: 'UnsatisfiableRangeError',
          code: 'RANGE_NOT_SATISFIABLE',
        });
        expect(opened.reads).toEqual([]);
      },
    );

    it('refuses a tampered segment inside a range after the bytes of the good segments before it', async () => {
      const tamperedStore = flipBit(await stored, segmentOffset(2) + 100);
      const opened = await open(tamperedStore, {
        key,
        binding,
        plaintextSize: size,
        range: { start: S + 3, end: size - 1 },
      });
      expect(opened.rejected).toBe(false);
      expect(opened.error).toMatchObject({ code: 'DOCUMENT_CONTENT_TAMPERED' });
      expect(opened.bytes.equals(plaintext.subarray(S + 3, 2 * S))).toBe(true);
    });

    it('releases the store stream when the reader stops early (a client that disconnects)', async () => {
      const whole = await stored;
      let source: Readable | undefined;
      const read = (start: number, end: number) => {
        source = chunked(whole.subarray(start, end + 1), [4096]);
        return Promise.resolve(source);
      };
      const stream = await decryptingStream({ dataKey: key, binding, plaintextSize: size, read });
      const firstChunk = await new Promise<Buffer>((resolve) => stream.once('data', resolve));
      expect(firstChunk.equals(plaintext.subarray(0, firstChunk.length))).toBe(true);
      stream.destroy();
      await new Promise((resolve) => source!.once('close', resolve));
      expect(source!.destroyed).toBe(true);
    });

    it('passes on the store error when the content is missing', async () => {
      const missing = Object.assign(new Error('No content is stored under this id'), {
        code: 'CONTENT_NOT_FOUND',
      });
      await expect(
        decryptingStream({ dataKey: key, binding, plaintextSize: size, read: () => Promise.reject(missing) }),
      ).rejects.toBe(missing);
    });
  });

  describe('tampering', () => {
    // Five segments, the last one partial: first (0), middle (2) and last (4) are each attacked.
    const size = 4 * S + 1000;
    const n = segmentsFor(size);
    const plaintext = randomBytes(size);
    const key = randomBytes(32);
    const binding = newBinding();
    const storedPromise = encrypt(plaintext, key, binding, [30_011]);
    const otherDocument = { ...binding, documentId: randomUUID() };
    const otherSameKeyPromise = encrypt(randomBytes(size), key, otherDocument, [size]);
    const otherKeyPromise = encrypt(randomBytes(size), randomBytes(32), newBinding(), [size]);

    const seg = (stored: Buffer, i: number) => segment(stored, i, size);
    const join = (...parts: Buffer[]) => Buffer.concat(parts);
    const header = (stored: Buffer) => stored.subarray(0, HEADER_SIZE);
    const segmentsOf = (stored: Buffer) => Array.from({ length: n }, (_, i) => seg(stored, i));

    interface Attack {
      /** The stored bytes after the attack. */
      stored: (original: Buffer, k: number) => Promise<Buffer> | Buffer;
      /** The plaintext size the attacker also wrote next to it (default: the true one). */
      plaintextSize?: (k: number) => number;
      /** Where the good plaintext ends: nothing at or after this offset may arrive. */
      goodUntil: (k: number) => number;
      positions?: number[];
    }
    const attacks: Record<string, Attack> = {
      'a flipped bit in the ciphertext': {
        stored: (s, k) => flipBit(s, segmentOffset(k) + 7),
        goodUntil: (k) => k * S,
      },
      'a flipped bit in the tag': {
        stored: (s, k) => flipBit(s, segmentOffset(k) + seg(s, k).length - 3),
        goodUntil: (k) => k * S,
      },
      'truncation at the segment start': {
        stored: (s, k) => s.subarray(0, segmentOffset(k)),
        goodUntil: (k) => k * S,
      },
      'truncation at the segment start, with the size changed to match': {
        stored: (s, k) => s.subarray(0, segmentOffset(k)),
        plaintextSize: (k) => k * S,
        goodUntil: (k) => Math.max(0, k - 1) * S,
      },
      'truncation inside the segment': {
        stored: (s, k) => s.subarray(0, segmentOffset(k) + 500),
        goodUntil: (k) => k * S,
      },
      'truncation inside the segment, with the size changed to match': {
        stored: (s, k) => s.subarray(0, segmentOffset(k) + 500),
        plaintextSize: (k) => k * S + 500 - TAG_SIZE,
        goodUntil: (k) => k * S,
      },
      'a dropped segment': {
        stored: (s, k) => join(header(s), ...segmentsOf(s).filter((_, i) => i !== k)),
        goodUntil: (k) => k * S,
      },
      'the segment swapped with its neighbour': {
        stored: (s, k) => {
          const parts = segmentsOf(s);
          const j = k === n - 1 ? k - 1 : k;
          [parts[j], parts[j + 1]] = [parts[j + 1]!, parts[j]!];
          return join(header(s), ...parts);
        },
        goodUntil: (k) => (k === n - 1 ? k - 1 : k) * S,
      },
      'the segment duplicated': {
        stored: (s, k) =>
          join(header(s), ...segmentsOf(s).flatMap((part, i) => (i === k ? [part, part] : [part]))),
        // A duplicate of the last segment comes after it: the last segment's plaintext is held back as well.
        goodUntil: (k) => Math.min(k + 1, n - 1) * S,
      },
      'a segment spliced in from another document with the same data key': {
        stored: async (s, k) => {
          const parts = segmentsOf(s);
          parts[k] = seg(await otherSameKeyPromise, k);
          return join(header(s), ...parts);
        },
        goodUntil: (k) => k * S,
      },
      'a segment spliced in from another document with another key': {
        stored: async (s, k) => {
          const parts = segmentsOf(s);
          parts[k] = seg(await otherKeyPromise, k);
          return join(header(s), ...parts);
        },
        goodUntil: (k) => k * S,
      },
    };

    for (const [name, attack] of Object.entries(attacks)) {
      it.each(attack.positions ?? [0, 2, n - 1])(
        `refuses ${name} (segment %i) and emits nothing of it`,
        async (k) => {
          const stored = await attack.stored(await storedPromise, k);
          const plaintextSize = attack.plaintextSize?.(k) ?? size;
          const opened = await open(stored, { key, binding, plaintextSize });
          expect(opened.error).toMatchObject({ code: 'DOCUMENT_CONTENT_TAMPERED' });
          expect(opened.bytes.equals(plaintext.subarray(0, attack.goodUntil(k)))).toBe(true);
          // A bad first segment is told before the stream is handed out, so the HTTP layer can still answer 5xx.
          expect(opened.rejected).toBe(attack.goodUntil(k) === 0);
        },
      );
    }

    it('refuses bytes appended after the last segment, holding back the last segment', async () => {
      const stored = join(await storedPromise, Buffer.from([0]));
      const opened = await open(stored, { key, binding, plaintextSize: size });
      expect(opened.error).toMatchObject({ code: 'DOCUMENT_CONTENT_TAMPERED' });
      expect(opened.bytes.equals(plaintext.subarray(0, (n - 1) * S))).toBe(true);
    });

    it('refuses a header taken from another encryption of the same document under the same key', async () => {
      const again = await encrypt(plaintext, key, binding);
      const stored = join(header(again), (await storedPromise).subarray(HEADER_SIZE));
      const opened = await open(stored, { key, binding, plaintextSize: size });
      expect(opened).toMatchObject({ rejected: true, error: { code: 'DOCUMENT_CONTENT_TAMPERED' } });
    });

    const mismatches: [string, Partial<{ key: Buffer; binding: ContentBinding }>][] = [
      ['a wrong data key', { key: randomBytes(32) }],
      ['a wrong documentId', { binding: { ...binding, documentId: randomUUID() } }],
      ['a wrong keyId', { binding: { ...binding, keyId: randomUUID() } }],
      ['the ids swapped', { binding: { documentId: binding.keyId, keyId: binding.documentId } }],
    ];
    it.each(mismatches)('tells %s apart from tampering (DOCUMENT_KEY_MISMATCH)', async (_name, wrong) => {
      const opened = await open(await storedPromise, { key, binding, plaintextSize: size, ...wrong });
      expect(opened).toMatchObject({ rejected: true, error: { code: 'DOCUMENT_KEY_MISMATCH' } });
      expect(opened.bytes.length).toBe(0);
      expect(opened.error?.message).not.toContain(key.toString('hex'));
      expect(opened.error?.message).not.toContain(binding.documentId);
    });

    /** Which code a flipped header byte gives: the format fields and the nonce prefix are tampering; the salt and the
     * commitment are what a wrong key also changes, so they read as a key mismatch (docs/DOCUMENT-ENCRYPTION.md). */
    function headerFlipCode(at: number): ContentIntegrityCode {
      return (at >= HEADER_LAYOUT.salt && at < HEADER_LAYOUT.noncePrefix) || at >= HEADER_LAYOUT.commitment
        ? 'DOCUMENT_KEY_MISMATCH'
        : 'DOCUMENT_CONTENT_TAMPERED';
    }
    it('refuses a flipped bit in any header byte before any plaintext', async () => {
      const original = await storedPromise;
      for (let at = 0; at < HEADER_SIZE; at++) {
        const opened = await open(flipBit(original, at), { key, binding, plaintextSize: size });
        expect(opened, `header byte ${at}`).toMatchObject({
          rejected: true,
          error: { code: headerFlipCode(at) },
        });
      }
    });
  });
});
