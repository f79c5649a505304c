// graphql-shield in every subgraph: each field's Policy (the subgraph's permissions.ts) compiled to a shield rule,
// `fallbackRule: deny` for anything not listed, one FORBIDDEN error without internals for every refusal, and
// federation's own plumbing (_service, _Service.sdl, _entities) allowed explicitly — entities are still guarded,
// by the rules on their types' fields.
import { applyMiddleware } from 'graphql-middleware';
import { allow as shieldAllow, chain, deny as shieldDeny, rule, shield } from 'graphql-shield';
import type { GraphQLSchema } from 'graphql';
import type { IRules } from 'graphql-shield';
import { evaluate, type Policy } from '../../access/policy.ts';
import type { PermissionMap } from '../../access/permission-map.ts';
import { FORBIDDEN_MESSAGE, platformError } from '../../common/errors.ts';
import type { PersonalFields } from './personal-data.ts';
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

/** The legal-basis rule of a field holding a person's data: after its policy allows, reading another person's data
 * still needs a grant that carries a legal basis (runtime/personal-data-reads.ts). */
function legalBasisRule(type: string, field: string) {
  return rule(`legalBasis_${type}_${field}`, { cache: 'no_cache' })(
    (parent: unknown, _args: unknown, ctx: SubgraphContext<unknown>) =>
      ctx.personalData.mayRead(type, field, parent),
  );
}

export function applyPermissions(
  schema: GraphQLSchema,
  permissions: PermissionMap,
  personal: PersonalFields = new Map(),
): GraphQLSchema {
  const tree: Record<string, Record<string, unknown>> = {};
  for (const [type, fields] of Object.entries(permissions)) {
    tree[type] = {};
    for (const [field, policy] of Object.entries(fields)) {
      // chain: the legal basis is asked only of a reader the policy lets through, so a refusal it records is real.
      tree[type][field] = personal.get(type)?.has(field)
        ? chain(compile(policy), legalBasisRule(type, field))
        : compile(policy);
    }
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
