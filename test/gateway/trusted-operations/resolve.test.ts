// Each mode × each way of naming an operation (resolve.ts), with Apollo Router's codes and statuses.
import { describe, expect, it } from 'vitest';
import { operationId } from '../../../common/operation-id.ts';
import { buildOperationList } from '../../../gateway/trusted-operations/operation-list.ts';
import { resolveOperation, type OperationsMode } from '../../../gateway/trusted-operations/resolve.ts';

const REGISTERED = '{ me { kind } }';
const OTHER = '{ me { integrationId } }';
const CEILING = { maxDepth: 12, maxAliases: 100, maxRootFields: 50, maxDirectives: 200, maxCost: 100_000 };
const list = buildOperationList(
  [{ id: operationId(REGISTERED), body: REGISTERED, name: null, limits: {} }],
  CEILING,
);

type Expected = 'trusted' | 'unregistered' | [string, number];
const cases: [string, { id?: string; text?: string }, Record<OperationsMode, Expected>][] = [
  [
    'a registered id',
    { id: operationId(REGISTERED) },
    { audit: 'trusted', safelist: 'trusted', 'id-only': 'trusted' },
  ],
  [
    'an unknown id',
    { id: operationId(OTHER) },
    {
      audit: ['PERSISTED_QUERY_NOT_IN_LIST', 404],
      safelist: ['PERSISTED_QUERY_NOT_IN_LIST', 404],
      'id-only': ['PERSISTED_QUERY_NOT_IN_LIST', 404],
    },
  ],
  [
    'registered text',
    { text: REGISTERED },
    { audit: 'trusted', safelist: 'trusted', 'id-only': ['PERSISTED_QUERY_ID_REQUIRED', 400] },
  ],
  [
    'unregistered text',
    { text: OTHER },
    {
      audit: 'unregistered',
      safelist: ['QUERY_NOT_IN_SAFELIST', 403],
      'id-only': ['PERSISTED_QUERY_ID_REQUIRED', 400],
    },
  ],
  [
    'an id and text',
    { id: operationId(REGISTERED), text: REGISTERED },
    {
      audit: ['CANNOT_SEND_PQ_ID_AND_BODY', 400],
      safelist: ['CANNOT_SEND_PQ_ID_AND_BODY', 400],
      'id-only': ['CANNOT_SEND_PQ_ID_AND_BODY', 400],
    },
  ],
];

describe('trusted operations / resolution', () => {
  for (const [what, named, byMode] of cases) {
    for (const [mode, expected] of Object.entries(byMode) as [OperationsMode, Expected][]) {
      it(`${what} in ${mode} mode: ${Array.isArray(expected) ? expected.join(' ') : expected}`, () => {
        const resolution = resolveOperation({ id: named.id, text: named.text }, mode, list);
        if (Array.isArray(expected)) {
          expect(resolution).toMatchObject({ kind: 'refused', code: expected[0], status: expected[1] });
        } else {
          expect(resolution.kind).toBe(expected);
        }
      });
    }
  }
});
