// mergePermissions (access/permission-map.ts): the one map the gateway walks. A field that several subgraphs resolve
// must pass every one's policy, whatever the order the maps come in; nothing is lost, added or shared between maps.
import { describe, expect, it } from 'vitest';
import { mergePermissions, type PermissionMap } from '../../access/permission-map.ts';
import {
  allow,
  check,
  deny,
  evaluate,
  type Decision,
  type Policy,
  type PolicyInput,
} from '../../access/policy.ts';
import { fixedAccess, kari } from '../support/access.ts';

const input: PolicyInput = { principal: kari, access: fixedAccess({}), args: {} };
const deferred = check('parentCheck', () => true, { needsParent: true });
const parentRefuses = check('parentRefuses', () => false, { needsParent: true });

async function decide(map: PermissionMap, type: string, field: string, parent: 'gateway' | 'subgraph') {
  const policy = Object.hasOwn(map, type) && Object.hasOwn(map[type]!, field) ? map[type]![field] : undefined;
  if (!policy) return 'missing';
  return evaluate(policy, { ...input, parent: {} }, parent === 'gateway' ? new Set() : 'all');
}

describe('access / mergePermissions', () => {
  it.each<[string, Policy[], 'gateway' | 'subgraph', Decision]>([
    ['one subgraph allows', [allow], 'gateway', 'allow'],
    ['one subgraph denies', [deny], 'gateway', 'deny'],
    ['both allow', [allow, allow], 'gateway', 'allow'],
    ['the first denies', [deny, allow], 'gateway', 'deny'],
    ['the second denies', [allow, deny], 'gateway', 'deny'],
    ['the last of three denies', [allow, allow, deny], 'gateway', 'deny'],
    ['the middle of three denies', [allow, deny, allow], 'gateway', 'deny'],
    ['one defers to its data, the other allows', [deferred, allow], 'gateway', 'defer'],
    ['one defers to its data, the other denies', [deferred, deny], 'gateway', 'deny'],
    ['one allows, the other refuses on its data', [allow, parentRefuses], 'subgraph', 'deny'],
    ['both allow on their data', [allow, deferred], 'subgraph', 'allow'],
  ])('a field from several subgraphs: %s', async (_name, policies, where, expected) => {
    const maps = policies.map((policy): PermissionMap => ({ Organization: { name: policy } }));
    expect(await decide(mergePermissions(maps), 'Organization', 'name', where)).toBe(expected);
    // The order the subgraphs are listed in does not matter.
    expect(await decide(mergePermissions([...maps].reverse()), 'Organization', 'name', where)).toBe(expected);
  });

  it('keeps the fields each subgraph alone resolves, with its own policy object', () => {
    const own = check('own', () => true, { needsParent: false });
    const merged = mergePermissions([
      { Query: { organizations: allow }, Organization: { orgnr: own } },
      { Query: { documents: deny }, Document: { title: allow } },
    ]);
    expect(merged).toEqual({
      Query: { organizations: allow, documents: deny },
      Organization: { orgnr: own },
      Document: { title: allow },
    });
    expect(merged.Organization!.orgnr).toBe(own);
  });

  it('does not wrap a policy that several maps share (one object, one rule)', () => {
    const shared = check('shared', () => true, { needsParent: false });
    const merged = mergePermissions([{ Query: { a: shared } }, { Query: { a: shared } }]);
    expect(merged.Query!.a).toBe(shared);
  });

  it('leaves the subgraphs maps as they were', () => {
    const first: PermissionMap = { Organization: { name: allow } };
    const second: PermissionMap = { Organization: { name: deny, orgnr: allow } };
    mergePermissions([first, second]);
    expect(first).toEqual({ Organization: { name: allow } });
    expect(second).toEqual({ Organization: { name: deny, orgnr: allow } });
  });

  it('merges nothing into an empty map', () => {
    expect(mergePermissions([])).toEqual({});
  });

  // Type and field names are data: one that is also the name of an Object.prototype member must neither inherit a
  // "policy" from the prototype nor write into it.
  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'])(
    'treats a type or field named %s like any other name',
    async (name) => {
      const fields = (policy: Policy): Record<string, Policy> => Object.fromEntries([[name, policy]]);
      const merged = mergePermissions([
        { Query: { other: allow } },
        { Query: fields(allow) },
        Object.fromEntries([[name, fields(deny)]]),
        Object.fromEntries([[name, { other: allow }]]),
      ]);
      expect(await decide(merged, 'Query', name, 'subgraph')).toBe('allow');
      expect(await decide(merged, name, name, 'subgraph')).toBe('deny');
      expect(await decide(merged, name, 'other', 'subgraph')).toBe('allow');
      const polluted = Object.hasOwn(Object.prototype, 'other');
      delete (Object.prototype as Record<string, unknown>).other;
      expect(polluted).toBe(false);
    },
  );
});
