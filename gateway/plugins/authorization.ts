// Authorization at the gateway, before query planning. graphql-shield cannot run here (Apollo Gateway executes query
// plans, not field resolvers), so this walks the operation and evaluates the very policies the subgraphs' shield
// rules are compiled from (subgraphs/*/permissions.ts). A policy that needs data (the parent object) is left to the
// subgraph. Refusal is whole-operation: one FORBIDDEN error, no data, no subgraph called — so no query plan is ever
// filtered per principal, and the plan cache cannot leak one caller's view to another.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getNamedType,
  getOperationAST,
  isObjectType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';
import { createAccessChecker } from '../../access/access-checker.ts';
import type { PermissionMap } from '../../access/permission-map.ts';
import { evaluate, type Policy, type PolicyInput } from '../../access/policy.ts';
import { isAuthenticated } from '../../access/rules.ts';
import type { Queryable } from '../../db/database.ts';
import { FORBIDDEN_MESSAGE } from '../../common/errors.ts';
import { checkedVariables, fragmentsOf } from '../../common/operation-input.ts';
import type { GatewayContext } from '../context.ts';
import type { EntityKeys } from './entity-keys.ts';

/** The introspection fields at the root; who may ask for them is a policy of its own (introspection.ts). */
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/**
 * What the gateway knows of the object a field returns before any subgraph answers: the arguments that spell one of
 * its entity keys (gateway/plugins/entity-keys.ts). `organization(orgnr: "910000004")` returns an Organization whose
 * orgnr is 910000004, so a rule on Organization.resources that reads the parent's orgnr is decided here rather than
 * in the subgraph.
 */
function knownFromArgs(
  type: GraphQLCompositeType,
  args: Record<string, unknown>,
  keys: EntityKeys,
): Record<string, unknown> {
  const known: Record<string, unknown> = {};
  for (const key of keys.get(type.name) ?? []) {
    if (key.every((field) => typeof args[field] === 'string'))
      for (const field of key) known[field] = args[field];
  }
  return known;
}

/** A field's or type's entry, never one inherited from Object.prototype (a field may be named `constructor`). */
function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

interface Walk {
  schema: GraphQLSchema;
  permissions: PermissionMap;
  keys: EntityKeys;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  input: Omit<PolicyInput, 'args'>;
  introspection: Policy;
}

/** The path of the first field the caller may not ask for, or null when every decidable rule allows. */
async function firstRefusal(
  walk: Walk,
  selectionSet: SelectionSetNode,
  type: GraphQLCompositeType,
  path: string[],
  parent: Record<string, unknown>,
): Promise<string[] | null> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name === '__typename') continue;
      const fieldPath = [...path, selection.alias?.value ?? name];
      const isRoot = path.length === 0;
      const field = isObjectType(type) || 'getFields' in type ? type.getFields()[name] : undefined;
      const introspection = isRoot && INTROSPECTION_FIELDS.has(name) ? walk.introspection : undefined;
      const policy = introspection ?? own(own(walk.permissions, type.name), name);
      // Fail closed: a field without a rule (or unknown to the schema) is refused.
      if (!policy) return fieldPath;
      if (introspection) {
        // Introspection's own rule is evaluated like any other; what it returns (the schema) is not walked.
        const decision = await evaluate(introspection, { ...walk.input, args: {}, parent }, new Set());
        if (decision !== 'allow') return fieldPath;
        continue;
      }
      if (!field) return fieldPath;
      const args = getArgumentValues(field, selection, walk.variables);
      const decision = await evaluate(policy, { ...walk.input, args, parent }, new Set(Object.keys(parent)));
      if (decision !== 'allow' && decision !== 'defer') return fieldPath;
      if (selection.selectionSet) {
        const child = getNamedType(field.type) as GraphQLCompositeType;
        // Only a root query's key arguments are trusted to describe what it returns (a lookup by key).
        const known = isRoot && type.name === 'Query' ? knownFromArgs(child, args, walk.keys) : {};
        const refused = await firstRefusal(walk, selection.selectionSet, child, fieldPath, known);
        if (refused) return refused;
      }
    } else {
      const condition =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.typeCondition?.name.value
          : walk.fragments.get(selection.name.value)?.typeCondition.name.value;
      const fragmentType = condition
        ? (walk.schema.getType(condition) as GraphQLCompositeType | undefined)
        : type;
      const set =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.selectionSet
          : walk.fragments.get(selection.name.value)?.selectionSet;
      if (!fragmentType || !set) return path;
      const refused = await firstRefusal(walk, set, fragmentType, path, parent);
      if (refused) return refused;
    }
  }
  return null;
}

/**
 * The whole walk for one operation: the path of the first field the caller may not ask for ([] when the operation
 * itself cannot be resolved), or null when every rule decidable here allows. `variables` must be the coerced ones.
 * `keys` are the supergraph's entity keys; with none, no rule that reads the parent is decided here (each is left to
 * its subgraph). `introspection` is who may ask for `__schema` and `__type` (introspection.ts).
 */
export async function findRefusal(
  schema: GraphQLSchema,
  permissions: PermissionMap,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  input: Omit<PolicyInput, 'args'>,
  keys: EntityKeys = new Map(),
  introspection: Policy = isAuthenticated,
): Promise<string[] | null> {
  const operation = getOperationAST(document, operationName);
  const root = operation ? schema.getRootType(operation.operation) : undefined;
  if (!operation || !root) return [];
  const fragments = fragmentsOf(document);
  return firstRefusal(
    { schema, permissions, keys, fragments, variables, input, introspection },
    operation.selectionSet,
    root,
    [],
    {},
  );
}

export interface AuthorizationOptions {
  /** Every field's policy, merged over the subgraphs (subgraphs/permissions.ts). No default: fail closed. */
  permissions: PermissionMap;
  /** Where the privilege store's read-only functions are asked (access/access-checker.ts). */
  db: Queryable;
  /** The supergraph's entity keys (see findRefusal). @default no keys: every parent-reading rule goes to its subgraph */
  keys?: EntityKeys;
  /** Who may introspect (introspection.ts). @default any authenticated caller */
  introspection?: Policy;
}

export function authorizationPlugin(options: AuthorizationOptions): ApolloServerPlugin<GatewayContext> {
  const { permissions, db, keys = new Map(), introspection = isAuthenticated } = options;
  return {
    requestDidStart() {
      return Promise.resolve({
        async didResolveOperation({ operation, document, schema, request, contextValue }) {
          if (!operation) throw forbidden([]);
          // Coerced (defaults applied) and checked before any rule reads them: never the raw request's.
          const variables = checkedVariables({
            schema,
            operation,
            fragments: fragmentsOf(document),
            variables: request.variables,
          });
          const refused = await findRefusal(
            schema,
            permissions,
            document,
            request.operationName,
            variables,
            { principal: contextValue.principal, access: createAccessChecker(db, contextValue.principal) },
            keys,
            introspection,
          );
          if (refused) throw forbidden(refused);
        },
      });
    },
  };
}

function forbidden(path: string[]): GraphQLError {
  return new GraphQLError(FORBIDDEN_MESSAGE, {
    path,
    extensions: { code: 'FORBIDDEN', http: { status: 403 } },
  });
}
