// Logs the errors an operation ran into, so an operator can follow a request id to its cause — without the cause's
// message, which can quote data (PostgreSQL's "Key (actor_id)=(...) already exists" holds a fødselsnummer). What is
// logged: the stable code, the path, the error's class, and for database errors their SQLSTATE, table and constraint.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { FastifyBaseLogger } from 'fastify';
import type { RequestScoped } from './graphql-errors.ts';

/** Expected refusals and bad input: worth a debug line, not an alarm. */
const EXPECTED = new Set([
  'BAD_USER_INPUT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'NOT_FOUND',
]);

export function describeError(error: GraphQLError): Record<string, unknown> {
  const cause = error.originalError as (Error & Record<string, unknown>) | undefined;
  const described: Record<string, unknown> = { code: error.extensions?.code, path: error.path?.join('.') };
  if (cause) {
    described.errorClass = cause.name;
    // node-postgres and PGlite errors carry SQLSTATE and the object names, which say what failed without data.
    for (const key of ['code', 'table', 'constraint', 'routine'] as const) {
      if (typeof cause[key] === 'string') described[`db_${key}`] = cause[key];
    }
    // A subgraph the gateway could not use (gateway/subgraph-data-source.ts): which one, and what failed.
    for (const key of ['subgraph', 'failure', 'httpStatus'] as const) {
      if (typeof cause[key] === 'string' || typeof cause[key] === 'number') described[key] = cause[key];
    }
  }
  return described;
}

export function errorLoggingPlugin<
  C extends RequestScoped & { log: FastifyBaseLogger },
>(): ApolloServerPlugin<C> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            const fields = { requestId: contextValue.requestId, error: describeError(error) };
            if (typeof code === 'string' && EXPECTED.has(code))
              contextValue.log.debug(fields, 'operation refused');
            else contextValue.log.error(fields, 'operation failed');
          }
          return Promise.resolve();
        },
      });
    },
  };
}
