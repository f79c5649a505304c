// In production no error leaves the gateway with a field suggestion ("Did you mean …?"), which would let a caller who
// may not introspect read the schema out of its own typos (OWASP GraphQL Cheat Sheet, "Introspection"). Apollo
// Server's own switch (`hideSchemaDetailsFromClientErrors`, i.e. ApolloServerPluginDisableSuggestions) strips them
// from the gateway's validation errors only; a subgraph's error comes through the gateway with its message as the
// subgraph wrote it, and graphql-js words suggestions the same way in validation and in value coercion (enum values,
// input fields). So both are installed: Apollo's first, and this sweep of every error of every response after it.
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import type { GatewayContext } from '../context.ts';

/** graphql-js's didYouMean(): " Did you mean X?", " Did you mean X or Y?", " Did you mean the enum value X?" — always
 * the end of its sentence, and so of the message it is appended to, whatever the names contain. */
const SUGGESTION = / ?Did you mean [\s\S]*\?$/;

export function withoutSuggestion(message: string): string {
  return message.replace(SUGGESTION, '');
}

function sweepPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ response }) {
          const errors =
            response.body.kind === 'single'
              ? response.body.singleResult.errors
              : response.body.initialResult.errors;
          for (const error of errors ?? []) {
            const message = withoutSuggestion(error.message);
            if (message !== error.message) (error as { message: string }).message = message;
          }
          return Promise.resolve();
        },
      });
    },
  };
}

export function hideSuggestionsPlugins(): ApolloServerPlugin<GatewayContext>[] {
  return [ApolloServerPluginDisableSuggestions(), sweepPlugin()];
}
