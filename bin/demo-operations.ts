// The operations the demo commands and the README send as the demo integration, which (like every integration) may
// run only trusted operations: they are the global list's schema/operations/demo.json, an Apollo persisted query
// manifest. `npx tsx bin/demo-operations.ts` writes that file again after a change here; a test fails while it is
// stale (test/gateway/trusted-operations-manifest.test.ts).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_DOCUMENTS } from '../common/demo-identities.ts';
import { operationId } from '../common/operation-id.ts';

/** npm run demo:integration, without an argument. */
export const WHO_AM_I = '{ me { kind integrationId organization { orgnr name } } }';
/** The README's example: a document exposed to the integration and the organisation holding it (two subgraphs). */
export const README_DOCUMENT = `{ document(id: "${DEMO_DOCUMENTS.caseFile}") { title organization { name } } }`;
/** npm run demo:documents -- send */
export const START_UPLOAD =
  'mutation StartUpload($input: StartDocumentUploadInput!) { startDocumentUpload(input: $input) { documentId path expiresAt } }';
/** npm run demo:documents -- status */
export const DOCUMENT_STATUS =
  'query DocumentStatus($id: ID!) { document(id: $id) { id sizeBytes sha256 createdAt readAt deletedAt deletedBy } }';
/** The bench's integration query (bench/targets.ts). */
export const BENCH_QUERY = `query Bench { document(id: "${DEMO_DOCUMENTS.caseFile}") { title organization { name } } }`;

const OPERATIONS: { name: string | null; type: 'query' | 'mutation'; body: string }[] = [
  { name: null, type: 'query', body: WHO_AM_I },
  { name: null, type: 'query', body: README_DOCUMENT },
  { name: 'StartUpload', type: 'mutation', body: START_UPLOAD },
  { name: 'DocumentStatus', type: 'query', body: DOCUMENT_STATUS },
  { name: 'Bench', type: 'query', body: BENCH_QUERY },
];

export const DEMO_MANIFEST_FILE = new URL('../schema/operations/demo.json', import.meta.url);

/** The demo operations as an Apollo persisted query manifest. */
export function demoManifest(): string {
  const manifest = {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: OPERATIONS.map(({ name, type, body }) => ({ id: operationId(body), body, name, type })),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(DEMO_MANIFEST_FILE, demoManifest());
  console.log(`wrote ${fileURLToPath(DEMO_MANIFEST_FILE)}`);
}
