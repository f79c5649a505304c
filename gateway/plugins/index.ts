// The gateway's request-time concerns, in the order they run: one file each in this folder, one line each here.
// Cheap refusals come first, so that an operation refused for its shape costs no privilege lookup. A new concern is
// a new file, an option in common/config.ts and one `plugins.push(...)` below (Hive Gateway's runtime does the same).
import type { ApolloServerPlugin } from '@apollo/server';
import type { ParseOptions } from 'graphql';
import type { Config } from '../../common/config.ts';
import type { Queryable } from '../../db/database.ts';
import { SUPERGRAPH_PERMISSIONS } from '../../subgraphs/permissions.ts';
import type { SecurityEvents } from '../audit/security-events.ts';
import type { GatewayContext } from '../context.ts';
import { authorizationPlugin } from './authorization.ts';
import { hideSuggestionsPlugins } from './hide-suggestions.ts';
import { introspectionPolicy } from './introspection.ts';
import { operationLimitsPlugin, parseOptionsFor } from './operation-limits.ts';
import { refusalAuditPlugin } from './refusal-audit.ts';
import { stepUpPlugin } from './step-up.ts';
import { unavailableStatusPlugin } from './unavailable-status.ts';
import { entityKeys } from './entity-keys.ts';

export interface GatewayPluginDependencies {
  /** Where the privilege store's read-only functions are asked (access/access-checker.ts). */
  db: Queryable;
  /** The supergraph the gateway serves (its entity keys tell the authorization walk what a lookup returns). */
  supergraphSdl: string;
  /** Browser login, when configured: where a step-up error sends the person to log in at a higher level. */
  loginUrl?: string;
  /** Where refused operations are counted for the audit log (gateway/audit/security-events.ts). */
  securityEvents?: SecurityEvents;
}

/** What the parser is told: the token limit stops a huge document while it is read (operation-limits.ts). */
export function gatewayParseOptions(config: Config): ParseOptions {
  return parseOptionsFor(config.limits);
}

export function gatewayPlugins(
  config: Config,
  dependencies: GatewayPluginDependencies,
): ApolloServerPlugin<GatewayContext>[] {
  const plugins: ApolloServerPlugin<GatewayContext>[] = [];
  // First: a refused operation costs no privilege query (see the plugin on why the order holds).
  plugins.push(operationLimitsPlugin(config.limits));
  plugins.push(
    authorizationPlugin({
      permissions: SUPERGRAPH_PERMISSIONS,
      db: dependencies.db,
      keys: entityKeys(dependencies.supergraphSdl),
      introspection: introspectionPolicy(config.mode),
    }),
  );
  if (dependencies.loginUrl) plugins.push(stepUpPlugin({ loginUrl: dependencies.loginUrl }));
  if (dependencies.securityEvents) plugins.push(refusalAuditPlugin({ events: dependencies.securityEvents }));
  plugins.push(unavailableStatusPlugin({ retryAfterSeconds: config.subgraphCalls.retryAfterSeconds }));
  if (config.mode === 'production') plugins.push(...hideSuggestionsPlugins());
  return plugins;
}
