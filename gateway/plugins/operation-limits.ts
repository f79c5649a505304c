// Operation limits at the gateway: depth, aliases, root fields, directives, tokens and estimated cost, checked before
// planning, before the authorization walk asks the privilege store anything, and before any subgraph is called.
// Without them one small query nesting a cycle of the schema (an organisation's resources, each resource's
// organisation, ...) or a flood of aliases keeps the gateway and its subgraphs busy for seconds, for every caller.
//
// The token limit is the parser's (graphql's `maxTokens`, given to Apollo Server as `parseOptions` by
// gateway/apollo.ts, see `parseOptionsFor`), so a huge document is never fully parsed; Apollo answers that as a
// GRAPHQL_PARSE_FAILED syntax error, which `didEncounterErrors` below turns into MAX_TOKENS_EXCEEDED.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type ParseOptions } from 'graphql';
import type { GatewayContext } from '../context.ts';
import {
  resolveOperationLimits,
  type OperationLimits,
  type ResolvedLimits,
} from './operation-limits/limits.ts';
import { measureDocument, type Refusal } from './operation-limits/measure.ts';
import { isStandardIntrospection } from './operation-limits/standard-introspection.ts';

export type { OperationLimits } from './operation-limits/limits.ts';

/** graphql-js's message when the parser stops at `maxTokens` (graphql 16.15 spells it "more that"; the platform
 * tests fail if a new version words it otherwise). */
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more th(?:an|at) \d+ tokens\. Parsing aborted\.$/;

/** What Apollo Server's `parseOptions` must hold for the token limit to apply while parsing. */
export function parseOptionsFor(options: OperationLimits): ParseOptions {
  return { maxTokens: resolveOperationLimits(options).maxTokens };
}

export function operationLimitsPlugin(options: OperationLimits): ApolloServerPlugin<GatewayContext> {
  const limits = resolveOperationLimits(options);
  // Apollo Server hands back the same parsed document for the same query text (its document store), so a document
  // is measured once, not on every request.
  const verdicts = new WeakMap<DocumentNode, Refusal | null>();
  // A trusted operation may carry higher limits of its own (gateway/trusted-operations/, already cut to the ceiling):
  // its verdict is kept per (its limits, document), both of which live as long as its list.
  const trustedVerdicts = new WeakMap<object, WeakMap<DocumentNode, Refusal | null>>();
  const cacheFor = (own: object | null | undefined) => {
    if (!own) return verdicts;
    let cache = trustedVerdicts.get(own);
    if (!cache) trustedVerdicts.set(own, (cache = new WeakMap()));
    return cache;
  };
  return {
    requestDidStart() {
      return Promise.resolve({
        // Not async on purpose: Apollo Server calls every plugin's didResolveOperation in one `map` and awaits them
        // together, so a rejected promise would still let the authorization plugin (next in line) start its walk and
        // its privilege queries. A synchronous throw leaves the `map` before the next plugin is called.
        didResolveOperation({ document, schema, contextValue }) {
          const own = contextValue.trustedOperation?.limits;
          const cache = cacheFor(own);
          let verdict = cache.get(document);
          if (verdict === undefined) {
            verdict = isStandardIntrospection(document)
              ? null
              : measureDocument(document, schema, own ? { ...limits, ...own } : limits);
            cache.set(document, verdict);
          }
          if (verdict) throw refusal(verdict.code, exceeds(verdict.limit, verdict.value));
          return Promise.resolve();
        },
        didEncounterErrors(requestContext) {
          // Apollo formats this very array after the hook: replacing an element replaces the error answered.
          const errors = requestContext.errors as GraphQLError[];
          errors.forEach((error, index) => {
            if (error.extensions.code === 'GRAPHQL_PARSE_FAILED' && TOO_MANY_TOKENS.test(error.message)) {
              errors[index] = tooManyTokens(limits);
            }
          });
          return Promise.resolve();
        },
      });
    },
  };
}

/** Names the limit and its value; nothing of the operation itself, which may carry personal data. */
function exceeds(limit: string, value: number): string {
  return `Operation exceeds the ${limit} limit: the maximum is ${value}.`;
}

function tooManyTokens(limits: ResolvedLimits): GraphQLError {
  return refusal('MAX_TOKENS_EXCEEDED', exceeds('tokens', limits.maxTokens));
}

function refusal(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}
