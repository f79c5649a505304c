// An oversize upload leaves no document and no orphaned content (issue #11 item 4), whether its size is announced
// (Content-Length: refused at the gateway before the documents subgraph is called) or not (chunked: the gateway cuts
// the stream to the subgraph at the limit, and the subgraph, which counts too, removes what it had begun).
import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const LIMIT = 100_000;
let platform: TestPlatform;
let caseSystem: Record<string, string>;

beforeAll(async () => {
  platform = await startTestPlatform({ DOCUMENT_MAX_BYTES: String(LIMIT) });
  caseSystem = await platform.asIntegration();
}, 60_000);
afterAll(() => platform?.stop());

async function startUpload(): Promise<{ documentId: string; path: string }> {
  const answer = await platform.graphql(
    'mutation ($input: StartDocumentUploadInput!) { startDocumentUpload(input: $input) { documentId path } }',
    {
      input: {
        accountId: DEMO_RESOURCES.fjordvikDocuments,
        title: 'For stor',
        mimeType: 'application/octet-stream',
        securityLevel: 3,
        exposedTo: [{ kind: 'PERSON', value: DEMO_PERSONS.ola.pid }],
      },
    },
    caseSystem,
  );
  expect(answer.body.errors).toBeUndefined();
  return (answer.body.data as { startDocumentUpload: { documentId: string; path: string } })
    .startDocumentUpload;
}

/** PUTs `size` bytes; with `announce`, a Content-Length, else chunked. Resolves with the status, or 0 when the
 * connection was cut before an answer. */
function put(path: string, size: number, announce: boolean): Promise<number> {
  return new Promise((resolve) => {
    const req = request(new URL(path, platform.gatewayUrl), {
      method: 'PUT',
      headers: {
        ...caseSystem,
        'content-type': 'application/octet-stream',
        ...(announce ? { 'content-length': String(size) } : {}),
      },
    });
    req.on('error', () => resolve(0));
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(res.statusCode ?? 0));
    });
    let sent = 0;
    Readable.from(
      (function* () {
        while (sent < size) {
          const chunk = Buffer.alloc(Math.min(16_384, size - sent), 7);
          sent += chunk.length;
          yield chunk;
        }
      })(),
    ).pipe(req);
  });
}

async function nothingLeft(documentId: string) {
  await vi.waitFor(
    async () => {
      expect(await platform.db.query('select 1 from documents.document where id = $1', [documentId])).toEqual(
        [],
      );
      expect(await readdir(platform.config.documents.contentDir).catch(() => [])).toEqual([]);
    },
    { timeout: 10_000, interval: 50 },
  );
}

describe('an upload over DOCUMENT_MAX_BYTES', () => {
  it('with its size announced: 413 from the gateway, nothing stored', async () => {
    const { documentId, path } = await startUpload();
    expect(await put(path, LIMIT * 3, true)).toBe(413);
    await nothingLeft(documentId);
  });

  it('chunked: refused once it passes the limit, nothing stored', async () => {
    const { documentId, path } = await startUpload();
    const status = await put(path, LIMIT * 3, false);
    // 413 when the answer reaches the client before the connection is cut; either way, never a stored document.
    expect([413, 0]).toContain(status);
    await nothingLeft(documentId);
  });

  it('one byte under the limit is stored', async () => {
    const { path } = await startUpload();
    expect(await put(path, LIMIT - 1, false)).toBe(201);
  });
});
