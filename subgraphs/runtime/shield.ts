// graphql-shield in every subgraph: each field's Policy (the subgraph's permissions.ts) compiled to a shield rule,
// `fallbackRule: deny` for anything not listed, one FORBIDDEN error without internals for every refusal, and
// federation's own plumbing (_service, _Service.sdl, _entities) allowed explicitly — entities are still guarded,
// by the rules on their types' fields.
import { applyMiddleware } from 'graphql-middleware';
import { allow as shieldAllow, deny as shieldDeny, rule, shield } from 'graphql-shield';
import type { GraphQLSchema } from 'graphql';
import type { IRules } from 'graphql-shield';
import { evaluate, type Policy } from '../../access/policy.ts';
import type { PermissionMap } from '../../access/permission-map.ts';
import { FORBIDDEN_MESSAGE, platformError } from '../../common/errors.ts';
import type { SubgraphContext } from './types.ts';

let compiled = 0;
const rules = new WeakMap<Policy, ReturnType<ReturnType<typeof rule>>>();

function compile(policy: Policy) {
  let compiledRule = rules.get(policy);
  if (!compiledRule) {
    // Names must be unique per rule instance for shield's validation; results are never cached across fields, the
    // access checker memoises the privilege lookups behind them per request.
    compiledRule = rule(`policy${++compiled}`, { cache: 'no_cache' })(
      async (parent: unknown, args: Record<string, unknown>, ctx: SubgraphContext<unknown>) =>
        (await evaluate(policy, { principal: ctx.principal, access: ctx.access, args, parent }, 'all')) ===
        'allow',
    );
    rules.set(policy, compiledRule);
  }
  return compiledRule;
}

export function applyPermissions(schema: GraphQLSchema, permissions: PermissionMap): GraphQLSchema {
  const tree: Record<string, Record<string, unknown>> = {};
  for (const [type, fields] of Object.entries(permissions)) {
    tree[type] = {};
    for (const [field, policy] of Object.entries(fields)) tree[type][field] = compile(policy);
  }
  tree.Query = { ...tree.Query, _service: shieldAllow };
  // _entities exists only where the subgraph has entities; allowing a field that does not exist is an error.
  if (schema.getQueryType()?.getFields()._entities) tree.Query._entities = shieldAllow;
  tree._Service = { sdl: shieldAllow };
  return applyMiddleware(
    schema,
    shield(tree as IRules, {
      fallbackRule: shieldDeny,
      fallbackError: () => platformError('FORBIDDEN', FORBIDDEN_MESSAGE),
      // Our own errors (BAD_USER_INPUT, ...) pass; anything else is masked by formatError.
      allowExternalErrors: true,
      debug: false,
    }),
  );
}
