// Authorization at the gateway, before query planning. graphql-shield cannot run here (Apollo Gateway executes query
// plans, not field resolvers), so this walks the operation and evaluates the very policies the subgraphs' shield
// rules are compiled from (subgraphs/*/permissions.ts). A policy that needs data (the parent object) is left to the
// subgraph. Refusal is whole-operation: one FORBIDDEN error, no data, no subgraph called — so no query plan is ever
// filtered per principal, and the plan cache cannot leak one caller's view to another.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { createAccessChecker } from '../../access/access-checker.ts';
import type { PermissionMap } from '../../access/permission-map.ts';
import type { Policy, PolicyInput } from '../../access/policy.ts';
import { isAuthenticated } from '../../access/rules.ts';
import type { Queryable } from '../../db/database.ts';
import { FORBIDDEN_MESSAGE } from '../../common/errors.ts';
import { checkedVariables, fragmentsOf } from '../../common/operation-input.ts';
import type { GatewayContext } from '../context.ts';
import type { EntityKeys } from './entity-keys.ts';
import { compileWalk, createRuleWalk, runWalk } from './rule-walk.ts';

/**
 * The whole walk for one operation: the path of the first field the caller may not ask for ([] when the operation
 * itself cannot be resolved), or null when every rule decidable here allows. `variables` must be the coerced ones.
 * `keys` are the supergraph's entity keys; with none, no rule that reads the parent is decided here (each is left to
 * its subgraph). `introspection` is who may ask for `__schema` and `__type` (introspection.ts). Compiles the walk
 * afresh; the plugin keeps compiled walks (rule-walk.ts).
 */
export function findRefusal(
  schema: GraphQLSchema,
  permissions: PermissionMap,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  input: Omit<PolicyInput, 'args'>,
  keys: EntityKeys = new Map(),
  introspection: Policy = isAuthenticated,
): Promise<string[] | null> {
  const settings = { permissions, keys, introspection };
  return runWalk(compileWalk(settings, schema, document, operationName), settings, variables, input);
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
  const walk = createRuleWalk({ permissions, keys, introspection });
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
          const refused = await walk.findRefusal(schema, document, request.operationName, variables, {
            principal: contextValue.principal,
            access: createAccessChecker(db, contextValue.principal),
          });
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
