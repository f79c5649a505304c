// A subgraph's field policies, and the one map the gateway walks for the whole supergraph. The policies themselves
// live in each subgraph's permissions.ts; this is only their shape and how several subgraphs' maps combine.
import { all, type Policy } from './policy.ts';

/** Type name → field name → policy. Every field of every object type a subgraph defines must be listed. */
export type PermissionMap = Record<string, Record<string, Policy>>;

/**
 * One map for the whole supergraph: a field contributed by several subgraphs must pass every one's policy. Type and
 * field names are data, so the maps have no prototype: `constructor` or `__proto__` is a name like any other.
 */
export function mergePermissions(maps: readonly PermissionMap[]): PermissionMap {
  const merged: PermissionMap = Object.create(null) as PermissionMap;
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      const target = Object.hasOwn(merged, type)
        ? merged[type]!
        : (merged[type] = Object.create(null) as Record<string, Policy>);
      for (const [field, policy] of Object.entries(fields)) {
        const existing = Object.hasOwn(target, field) ? target[field] : undefined;
        target[field] = existing && existing !== policy ? all(existing, policy) : policy;
      }
    }
  }
  return merged;
}
