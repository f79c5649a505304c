// Whether the caller may see a row, decided by the very policy that guards the row's fields (its subgraph's
// permissions.ts), evaluated with the row as the parent. Resolvers that return a row shield does not look at first
// — a by-id lookup answering null for what the caller may not see, entity resolution (__resolveReference, which
// shield does not guard), a step out of what the caller was granted — ask this, so each rule is written once.
// Row-level security stays the second, independent wall.
import { evaluate, type Policy } from '../../access/policy.ts';
import type { SubgraphContext } from './types.ts';

export async function sees(policy: Policy, row: object, ctx: SubgraphContext<unknown>): Promise<boolean> {
  const input = { principal: ctx.principal, access: ctx.access, args: {}, parent: row };
  return (await evaluate(policy, input, 'all')) === 'allow';
}

/** The row when the caller may see it, else null: the same answer as for a row that does not exist. */
export async function visibleBy<Row extends object>(
  policy: Policy,
  row: Row | null,
  ctx: SubgraphContext<unknown>,
): Promise<Row | null> {
  return row && (await sees(policy, row, ctx)) ? row : null;
}
