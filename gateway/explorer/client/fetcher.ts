// How GraphiQL sends an operation: to the gateway's own /graphql with the session cookie, the headers typed in
// GraphiQL's headers editor, and the organisation the person acts for. Same origin only, so no CORS and no token in
// the page: the session cookie is HttpOnly.
import type { GraphiQLProps } from 'graphiql';
import type { ExecutionResult } from 'graphql';
import { OWN_PAGE_HEADERS, actForHeaders } from './session.ts';

type Fetcher = GraphiQLProps['fetcher'];

export function gatewayFetcher(actFor: string): Fetcher {
  return async (params, options) => {
    const response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        accept: 'application/graphql-response+json, application/json',
        ...options?.headers,
        'content-type': 'application/json',
        ...OWN_PAGE_HEADERS,
        ...actForHeaders(actFor),
      },
      body: JSON.stringify(params),
    });
    // Refusals (401, 403, 400) come as GraphQL responses too: GraphiQL shows their errors and codes.
    return (await response.json()) as ExecutionResult;
  };
}
