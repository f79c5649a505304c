// A subgraph checks its input itself, before it executes (common/operation-input.ts): the gateway checks the same
// rules first, but a subgraph does not rely on any caller for what reaches its store.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { checkedVariables, fragmentsOf } from '../../common/operation-input.ts';

export function inputCheckPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ schema, operation, document, request }) {
          if (!operation)
            throw new GraphQLError('No operation to run.', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          try {
            checkedVariables({
              schema,
              operation,
              fragments: fragmentsOf(document),
              variables: request.variables,
            });
          } catch (error) {
            if (!(error instanceof GraphQLError)) throw error;
            // Answered with 200 like the resolvers' own BAD_USER_INPUT: Apollo Gateway turns any other status from a
            // subgraph into an error without the subgraph's code, and the caller would see INTERNAL_SERVER_ERROR.
            throw new GraphQLError(error.message, {
              extensions: { code: error.extensions.code, http: { status: 200 } },
            });
          }
          return Promise.resolve();
        },
      });
    },
  };
}
