import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entityKeys } from '../../gateway/plugins/entity-keys.ts';
import { SUPERGRAPH_FILE } from '../../schema/supergraph-file.ts';

describe('gateway / entity keys from the supergraph', () => {
  const keys = entityKeys(readFileSync(SUPERGRAPH_FILE, 'utf8'));

  it.each([
    ['Organization', [['orgnr']]],
    ['Document', [['id']]],
    ['Integration', [['id']]],
    ['Resource', [['id']]],
    ['AuditEvent', [['id']]],
  ])('reads the key of %s', (type, expected) => {
    expect(keys.get(type)).toEqual(expected);
  });

  it.each(['Authorization', 'Grant', 'Query', 'Caller'])(
    'knows no key for %s, which is no entity',
    (type) => {
      expect(keys.get(type)).toBeUndefined();
    },
  );

  it('keeps compound keys whole and skips keys that select into nested objects', () => {
    const sdl = `
      directive @join__type(graph: String, key: String) repeatable on OBJECT
      type A @join__type(graph: "X", key: "tenant id") @join__type(graph: "Y", key: "tenant id") { tenant: String id: ID }
      type B @join__type(graph: "X", key: "owner { id }") { owner: A }`;
    const parsed = entityKeys(sdl);
    expect(parsed.get('A')).toEqual([['tenant', 'id']]);
    expect(parsed.get('B')).toBeUndefined();
  });
});
