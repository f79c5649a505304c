// npx tsx bench/content-floor.ts: the CPU each unavoidable step of a document upload costs on its own, in ms per MiB
// of this process (all threads), so the aim of issue #11 (content through the gateway at >= 0.8 of plain AES-GCM)
// can be checked against arithmetic: SHA-256 of the plaintext, AES-256-GCM over 64 KiB segments, one loopback HTTP
// hop (node:http client to node:http server, body dropped; an upload through the gateway makes two), and writing the
// ciphertext to a file (1 MiB writes, fsynced at the end). 256 MiB each, best of three.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const MiB = 2 ** 20;
const TOTAL = 256 * MiB;
const SEGMENT = 65536;
const BLOCK = randomBytes(256 * 1024);

function* blocks(): Generator<Buffer> {
  for (let done = 0; done < TOTAL; done += BLOCK.length) yield BLOCK;
}

async function cpuPerMiB(work: () => Promise<void> | void): Promise<{ cpu: number; wall: number }> {
  let best = { cpu: Infinity, wall: Infinity };
  for (let i = 0; i < 3; i++) {
    const before = process.cpuUsage();
    const start = process.hrtime.bigint();
    await work();
    const wall = Number(process.hrtime.bigint() - start) / 1e6 / (TOTAL / MiB);
    const used = process.cpuUsage(before);
    const cpu = (used.user + used.system) / 1000 / (TOTAL / MiB);
    if (cpu < best.cpu) best = { cpu, wall };
  }
  return best;
}

const key = randomBytes(32);
const results: [string, { cpu: number; wall: number }][] = [];
results.push([
  'SHA-256',
  await cpuPerMiB(() => {
    const hash = createHash('sha256');
    for (const block of blocks()) hash.update(block);
    hash.digest();
  }),
]);
results.push([
  'AES-256-GCM, 64 KiB segments',
  await cpuPerMiB(() => {
    const nonce = randomBytes(12);
    for (const block of blocks()) {
      for (let offset = 0; offset < block.length; offset += SEGMENT) {
        const cipher = createCipheriv('aes-256-gcm', key, nonce);
        cipher.update(block.subarray(offset, offset + SEGMENT));
        cipher.final();
        cipher.getAuthTag();
      }
    }
  }),
]);

const server = createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => res.end('ok'));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
results.push([
  'one loopback HTTP hop (client and server)',
  await cpuPerMiB(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = request({
          port,
          host: '127.0.0.1',
          method: 'PUT',
          headers: { 'content-length': String(TOTAL) },
        });
        req.on('error', reject);
        req.on('response', (res) => res.resume().on('end', resolve));
        Readable.from(blocks()).pipe(req);
      }),
  ),
]);
server.close();

const folder = await mkdtemp(join(tmpdir(), 'fiks-content-floor-'));
try {
  results.push([
    'file write (1 MiB buffered writes, fsync)',
    await cpuPerMiB(() =>
      pipeline(
        Readable.from(blocks()),
        createWriteStream(join(folder, 'content'), { flush: true, highWaterMark: MiB }),
      ),
    ),
  ]);
} finally {
  await rm(folder, { recursive: true, force: true });
}

for (const [step, { cpu, wall }] of results)
  console.log(`${step.padEnd(44)} CPU ${cpu.toFixed(2)} ms/MiB, wall ${wall.toFixed(2)} ms/MiB`);
