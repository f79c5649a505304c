// Key rotation on a running platform (issue #11 item 3): documents uploaded before and after a rotation both read
// through the gateway; once every data key is re-wrapped, the old key-encryption-key version is retired — its key
// material gone from the file — and both documents still read, so the old key is not needed. The rotation runs as
// `npm run keys:rotate` would, from another instance of the key file, while the platform keeps serving.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import { openFileKeyEncryptionKeys } from '../../subgraphs/documents/keys/file-key-encryption-keys.ts';
import { retireUnused, rotateKeys } from '../../subgraphs/documents/keys/rotate-keys.ts';
import { SqlWrappedKeyRepository } from '../../subgraphs/documents/keys/wrapped-key-repository.ts';
import { personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let platform: TestPlatform;
let caseSystem: Record<string, string>;
let ola: Record<string, string>;

async function upload(content: Buffer): Promise<string> {
  const started = await platform.graphql(
    'mutation ($input: StartDocumentUploadInput!) { startDocumentUpload(input: $input) { documentId path } }',
    {
      input: {
        accountId: DEMO_RESOURCES.fjordvikDocuments,
        title: 'Brev',
        mimeType: 'text/plain',
        securityLevel: 3,
        exposedTo: [{ kind: 'PERSON', value: DEMO_PERSONS.ola.pid }],
      },
    },
    caseSystem,
  );
  const { documentId, path } = (
    started.body.data as { startDocumentUpload: { documentId: string; path: string } }
  ).startDocumentUpload;
  const stored = await fetch(new URL(path, platform.gatewayUrl), {
    method: 'PUT',
    headers: { ...caseSystem, 'content-type': 'text/plain' },
    body: content,
  });
  expect(stored.status).toBe(201);
  return documentId;
}

async function read(id: string): Promise<Buffer> {
  const link = await platform.graphql(
    'mutation ($id: ID!) { startDocumentDownload(id: $id) { path } }',
    { id },
    ola,
  );
  expect(link.body.errors).toBeUndefined();
  const { path } = (link.body.data as { startDocumentDownload: { path: string } }).startDocumentDownload;
  const response = await fetch(new URL(path, platform.gatewayUrl), { headers: ola });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

beforeAll(async () => {
  platform = await startTestPlatform();
  caseSystem = await platform.asIntegration();
  ola = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.ola.pid)}` };
}, 60_000);
afterAll(() => platform?.stop());

describe('key rotation while the platform serves', () => {
  it('reads documents from before and after; after retiring, the old version is gone and nothing needs it', async () => {
    const before = Buffer.from('skrevet før rotasjonen\n'.repeat(5000));
    const beforeId = await upload(before);

    const keys = await openFileKeyEncryptionKeys(platform.config.documents.keyFile, { create: false });
    const repository = new SqlWrappedKeyRepository(platform.db);
    const rotated = await rotateKeys({ keys, repository });
    expect(rotated.version).toBe(2);
    expect(rotated.rewrapped).toBeGreaterThanOrEqual(1);

    const after = Buffer.from('skrevet etter rotasjonen\n'.repeat(5000));
    const afterId = await upload(after);
    const versions = await platform.db.query<{ document_id: string; kek_version: number }>(
      'select document_id, kek_version from documents.data_key where document_id = any($1::uuid[])',
      [[beforeId, afterId]],
    );
    expect(versions.map((v) => v.kek_version)).toEqual([2, 2]);

    expect(await retireUnused(keys, repository)).toEqual([1]);
    const file = JSON.parse(await readFile(platform.config.documents.keyFile, 'utf8')) as {
      versions: { version: number; key?: string }[];
    };
    expect(file.versions.find((v) => v.version === 1)?.key).toBeUndefined();

    expect((await read(beforeId)).equals(before)).toBe(true);
    expect((await read(afterId)).equals(after)).toBe(true);
  });
});
