// Memory stays flat whatever the size (issue #11 item 4): a 1 GiB document goes up through the gateway, is encrypted
// into the content store, and comes back down, decrypted, in one process that runs the gateway and the documents
// subgraph. The content is made and checked as it streams (never held); the heap is sampled all the way and may grow
// by less than 64 MiB. Memory is asserted, never time.
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import { personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const SIZE = 2 ** 30;
const CHUNK = 256 * 1024;
const HEAP_GROWTH_LIMIT = 64 * 2 ** 20;

let platform: TestPlatform;
let heapBefore = 0;
let heapPeak = 0;
const sample = () => {
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
};

/** The document's bytes, made chunk by chunk: a pattern that differs per chunk, so a misplaced chunk is caught. */
function content(): { stream: Readable; digest: () => string } {
  const hash = createHash('sha256');
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= SIZE) return this.push(null);
      const chunk = Buffer.alloc(Math.min(CHUNK, SIZE - sent), (sent / CHUNK) & 0xff);
      chunk.writeUInt32BE(sent / CHUNK, 0);
      sent += chunk.length;
      hash.update(chunk);
      sample();
      this.push(chunk);
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

async function graphql(headers: Record<string, string>, query: string, variables: Record<string, unknown>) {
  const answer = await platform.graphql(query, variables, headers);
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data as Record<string, { documentId: string; path: string }>;
}

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform?.stop());

describe('a 1 GiB document', () => {
  it('goes up and comes back down byte for byte with the heap growing by less than 64 MiB', async () => {
    const caseSystem = await platform.asIntegration();
    const ola = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.ola.pid)}` };
    heapBefore = process.memoryUsage().heapUsed;
    heapPeak = heapBefore;

    const upload = (
      await graphql(
        caseSystem,
        `
          mutation ($input: StartDocumentUploadInput!) {
            startDocumentUpload(input: $input) {
              documentId
              path
            }
          }
        `,
        {
          input: {
            accountId: DEMO_RESOURCES.fjordvikDocuments,
            title: 'Stor fil',
            mimeType: 'application/octet-stream',
            securityLevel: 3,
            exposedTo: [{ kind: 'PERSON', value: DEMO_PERSONS.ola.pid }],
          },
        },
      )
    ).startDocumentUpload!;
    const source = content();
    const stored = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(new URL(upload.path, platform.gatewayUrl), {
        method: 'PUT',
        headers: {
          ...caseSystem,
          'content-type': 'application/octet-stream',
          'content-length': String(SIZE),
        },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (text: string) => (body += text));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      source.stream.pipe(req);
    });
    expect(stored.status).toBe(201);
    const sha256 = source.digest();
    expect(JSON.parse(stored.body)).toMatchObject({ sizeBytes: SIZE, sha256 });

    const download = (
      await graphql(ola, 'mutation ($id: ID!) { startDocumentDownload(id: $id) { documentId path } }', {
        id: upload.documentId,
      })
    ).startDocumentDownload!;
    const received = await new Promise<{ status: number; bytes: number; sha256: string }>(
      (resolve, reject) => {
        const req = request(new URL(download.path, platform.gatewayUrl), { headers: ola });
        req.on('error', reject);
        req.on('response', (res) => {
          const hash = createHash('sha256');
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            hash.update(chunk);
            sample();
          });
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, sha256: hash.digest('hex') }));
        });
        req.end();
      },
    );
    expect(received).toEqual({ status: 200, bytes: SIZE, sha256 });
    expect(heapPeak - heapBefore).toBeLessThan(HEAP_GROWTH_LIMIT);
  }, 600_000);
});
