// When nothing of an operation could be answered because a subgraph was unavailable, the HTTP answer says so: 503
// with Retry-After (RFC 9110 §15.6.4, §10.2.3), so clients and proxies retry later instead of treating a GraphQL
// 200 as success. A partial answer (some fields from subgraphs that did answer) stays 200, with its errors.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.ts';

export interface UnavailableStatusOptions {
  /** Seconds a client should wait before trying again (SUBGRAPH_RETRY_AFTER_SECONDS). @default 5 */
  retryAfterSeconds?: number;
}

export function unavailableStatusPlugin(
  options: UnavailableStatusOptions = {},
): ApolloServerPlugin<GatewayContext> {
  const retryAfterSeconds = options.retryAfterSeconds ?? 5;
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ response }) {
          if (response.body.kind !== 'single') return Promise.resolve();
          const { data, errors } = response.body.singleResult;
          const unavailable = errors?.some((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE');
          const nothingAnswered = !data || Object.values(data).every((value) => value === null);
          if (unavailable && nothingAnswered) {
            response.http.status = 503;
            response.http.headers.set('retry-after', String(retryAfterSeconds));
          }
          return Promise.resolve();
        },
      });
    },
  };
}
