// Manifests in both formats clients produce, and the refusal of one that lies; the demo manifest kept current.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { operationId } from '../../../common/operation-id.ts';
import { DEMO_MANIFEST_FILE, demoManifest } from '../../../bin/demo-operations.ts';
import { GATEWAY_QUERY } from '../../../bench/targets.ts';
import { ManifestError, parseManifest } from '../../../gateway/trusted-operations/manifest.ts';
import { buildOperationList } from '../../../gateway/trusted-operations/operation-list.ts';

const A = 'query A { me { kind } }';
const B = '{ me { integrationId } }';
const CEILING = { maxDepth: 12, maxAliases: 100, maxRootFields: 50, maxDirectives: 200, maxCost: 100_000 };

describe('trusted operations / manifests', () => {
  it("reads Apollo's persisted query manifest, with names and our limits", () => {
    const operations = parseManifest({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [
        { id: operationId(A), body: A, name: 'A', type: 'query', limits: { maxDepth: 9 } },
        { id: operationId(B), body: B, name: null, type: 'query' },
      ],
    });
    expect(operations).toEqual([
      { id: operationId(A), body: A, name: 'A', limits: { maxDepth: 9 } },
      { id: operationId(B), body: B, name: null, limits: {} },
    ]);
  });

  it("reads graphql-codegen's persisted-documents.json", () => {
    expect(parseManifest({ [operationId(A)]: A, [operationId(B)]: B })).toEqual([
      { id: operationId(A), body: A, name: null, limits: {} },
      { id: operationId(B), body: B, name: null, limits: {} },
    ]);
  });

  it('refuses a manifest whose id is not the SHA-256 of its body, in either format', () => {
    expect(() => parseManifest({ [operationId(A)]: B })).toThrow(ManifestError);
    expect(() =>
      parseManifest({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: operationId(A), body: `${A} `, name: 'A', type: 'query' }],
      }),
    ).toThrow(/not the SHA-256 of its body/);
  });

  it('refuses ids not in lower-case hex, unknown versions, unknown limits and bad limit values', () => {
    expect(() => parseManifest({ [operationId(A).toUpperCase()]: A })).toThrow(ManifestError);
    expect(() =>
      parseManifest({ format: 'apollo-persisted-query-manifest', version: 2, operations: [] }),
    ).toThrow(ManifestError);
    const withLimits = (limits: unknown) => ({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: operationId(A), body: A, name: 'A', type: 'query', limits }],
    });
    expect(() => parseManifest(withLimits({ maxTokens: 5000 }))).toThrow(/unknown limit/);
    expect(() => parseManifest(withLimits({ maxDepth: 0 }))).toThrow(/positive whole number/);
    expect(() => parseManifest([])).toThrow(ManifestError);
  });

  it('refuses a list with a body that is not a GraphQL document, and cuts limits to the ceiling', () => {
    const broken = '{ me { ';
    expect(() =>
      buildOperationList([{ id: operationId(broken), body: broken, name: null, limits: {} }], CEILING),
    ).toThrow(ManifestError);
    const list = buildOperationList(
      [{ id: operationId(A), body: A, name: 'A', limits: { maxDepth: 50 } }],
      CEILING,
    );
    expect(list.byId.get(operationId(A))).toMatchObject({ limits: { maxDepth: 12 }, soleOperationName: 'A' });
    expect(list.byText.get(A)?.id).toBe(operationId(A));
  });

  it('keeps schema/operations/demo.json what bin/demo-operations.ts writes, with the bench query in it', () => {
    expect(readFileSync(DEMO_MANIFEST_FILE, 'utf8')).toBe(demoManifest());
    expect(parseManifest(JSON.parse(demoManifest())).map((o) => o.body)).toContain(GATEWAY_QUERY);
  });
});
