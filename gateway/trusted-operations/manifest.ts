// Reading operation manifests in the two formats clients already produce:
//   Apollo's persisted query manifest: {"format":"apollo-persisted-query-manifest","version":1,
//                                        "operations":[{"id","body","name","type"}]}
//   graphql-codegen's persisted documents (client preset, `persistedDocuments`): {"<sha256>": "<document>"}
// An Apollo entry may also carry our `limits` (gateway/plugins/operation-limits.ts names). Every id must be the
// SHA-256 of its body: a manifest that lies about one operation is refused whole, never loaded in part.
import {
  checkTrustedLimits,
  isOperationId,
  operationId,
  type TrustedOperationLimits,
} from '../../common/operation-id.ts';

export interface ManifestOperation {
  id: string;
  body: string;
  name: string | null;
  limits: TrustedOperationLimits;
}

/** A manifest that cannot be loaded; the message names the entry, never its text. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

const APOLLO_FORMAT = 'apollo-persisted-query-manifest';

export function parseManifest(json: unknown): ManifestOperation[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ManifestError('a manifest is a JSON object');
  }
  const record = json as Record<string, unknown>;
  const operations = record.format === APOLLO_FORMAT ? apolloOperations(record) : codegenOperations(record);
  const seen = new Set<string>();
  for (const operation of operations) {
    if (!isOperationId(operation.id)) throw new ManifestError('an id is not a SHA-256 in lower-case hex');
    if (operationId(operation.body) !== operation.id) {
      throw new ManifestError(`${operation.id}: the id is not the SHA-256 of its body`);
    }
    if (seen.has(operation.id)) throw new ManifestError(`${operation.id}: listed twice`);
    seen.add(operation.id);
  }
  return operations;
}

function apolloOperations(record: Record<string, unknown>): ManifestOperation[] {
  if (record.version !== 1) throw new ManifestError(`${APOLLO_FORMAT}: only version 1 is known`);
  if (!Array.isArray(record.operations))
    throw new ManifestError(`${APOLLO_FORMAT}: operations must be a list`);
  return record.operations.map((entry: unknown, index) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof e.id !== 'string' || typeof e.body !== 'string' || e.body.length === 0) {
      throw new ManifestError(`operations[${index}]: id and body must be strings`);
    }
    const limits = checkTrustedLimits(e.limits);
    if (typeof limits === 'string') throw new ManifestError(`operations[${index}]: ${limits}`);
    return { id: e.id, body: e.body, name: typeof e.name === 'string' ? e.name : null, limits };
  });
}

function codegenOperations(record: Record<string, unknown>): ManifestOperation[] {
  return Object.entries(record).map(([id, body]) => {
    if (typeof body !== 'string' || body.length === 0)
      throw new ManifestError(`${id}: the document must be a string`);
    return { id, body, name: null, limits: {} };
  });
}
