// Throughput of document content encryption: plain node:crypto AES-256-GCM over 64 KiB segments (the ceiling), and
// the segmented format through its streams (docs/DOCUMENT-ENCRYPTION.md), both in memory so only the CPU counts.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  SEGMENT_SIZE,
  decryptingStream,
  encryptingStream,
} from '../subgraphs/documents/content/segmented-aead.ts';

/** The plaintext is this block repeated: enough to defeat caching effects, small enough not to dominate memory. */
const BLOCK = randomBytes(4 * 2 ** 20);

function megabytesPerSecond(bytes: number, startedAt: bigint): number {
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  return bytes / 1e6 / seconds;
}

/** The first runs in a process are slower (the JIT, the allocator): each measurement runs this much untimed first. */
const WARM_UP_BYTES = 32 * 2 ** 20;

/** MB/s of encrypting and decrypting `bytes` with plain AES-256-GCM, one cipher and tag per 64 KiB segment. */
export async function rawAesGcmThroughput(bytes: number): Promise<number> {
  await rawAesGcm(WARM_UP_BYTES);
  return rawAesGcm(bytes);
}

function rawAesGcm(bytes: number): Promise<number> {
  const key = randomBytes(32);
  const nonce = randomBytes(12);
  const startedAt = process.hrtime.bigint();
  for (let done = 0; done < bytes; done += SEGMENT_SIZE) {
    const offset = done % BLOCK.length;
    const segment = BLOCK.subarray(offset, offset + Math.min(SEGMENT_SIZE, bytes - done));
    nonce.writeUInt32BE(done / SEGMENT_SIZE, 7);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    const ciphertext = cipher.update(segment);
    cipher.final();
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAuthTag(cipher.getAuthTag());
    decipher.update(ciphertext);
    decipher.final();
  }
  // Both directions ran: report MB/s of one direction, comparable with formatThroughput's.
  return Promise.resolve(megabytesPerSecond(2 * bytes, startedAt));
}

function* plaintext(bytes: number): Generator<Buffer> {
  for (let done = 0; done < bytes; done += BLOCK.length)
    yield BLOCK.subarray(0, Math.min(BLOCK.length, bytes - done));
}

/** MB/s of the format's encrypting stream and of its decrypting stream, each over `bytes` of plaintext. */
export async function formatThroughput(bytes: number): Promise<{ encrypt: number; decrypt: number }> {
  await throughTheFormat(WARM_UP_BYTES);
  return throughTheFormat(bytes);
}

async function throughTheFormat(bytes: number): Promise<{ encrypt: number; decrypt: number }> {
  const dataKey = randomBytes(32);
  const binding = { documentId: 'bench-document', keyId: 'bench-key' };
  const encryptTo = async (sink: Writable) =>
    pipeline(Readable.from(plaintext(bytes)), encryptingStream(dataKey, binding), sink);
  // Timed into a sink that drops the ciphertext: keeping 256 MiB of fresh buffers measures page faults, not AES.
  let startedAt = process.hrtime.bigint();
  await encryptTo(discarding());
  const encrypt = megabytesPerSecond(bytes, startedAt);

  const chunks: Buffer[] = [];
  await encryptTo(
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    }),
  );
  const stored = Buffer.concat(chunks);
  chunks.length = 0;
  startedAt = process.hrtime.bigint();
  const decrypted = await decryptingStream({
    dataKey,
    binding,
    plaintextSize: bytes,
    // As a store would: chunks of 64 KiB, which do not line up with the sealed segments (64 KiB + tag).
    read: (start, end) => Promise.resolve(Readable.from(chunksOf(stored.subarray(start, end + 1), 65536))),
  });
  await pipeline(decrypted, discarding());
  return { encrypt, decrypt: megabytesPerSecond(bytes, startedAt) };
}

function* chunksOf(data: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}

function discarding(): Writable {
  return new Writable({
    write(_chunk: Buffer, _encoding, callback) {
      callback();
    },
  });
}
