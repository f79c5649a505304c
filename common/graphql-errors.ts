// How GraphQL errors leave a server: only a stable code, the request id and a few documented extensions. An error
// whose code we do not know (a bug, a library's internal error, a subgraph's stack) becomes INTERNAL_SERVER_ERROR
// with a generic message, so no internals reach the caller.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { isErrorCode } from './errors.ts';

/** Extensions a caller may see besides `code` and `requestId`: where to log in again, and at which level. */
const PUBLIC_EXTENSIONS = ['loginUrl', 'requiredAcr'] as const;

export function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (!isErrorCode(code) || code === 'INTERNAL_SERVER_ERROR') {
    return {
      message: 'Internal server error.',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  }
  const extensions: Record<string, unknown> = { code };
  for (const key of PUBLIC_EXTENSIONS) {
    if (formatted.extensions?.[key] !== undefined) extensions[key] = formatted.extensions[key];
  }
  return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
}

export interface RequestScoped extends BaseContext {
  requestId: string;
}

/** Stamps the request id on every error of an executed operation. */
export function requestIdPlugin<C extends RequestScoped>(): ApolloServerPlugin<C> {
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single' && response.body.singleResult.errors) {
            for (const error of response.body.singleResult.errors) {
              (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            }
          }
          return Promise.resolve();
        },
      });
    },
  };
}
