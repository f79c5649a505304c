// The resolver-level audit (issue #10, item 2): each read of a field marked @personalData, by anyone but the person
// it is about, becomes one event per (resource, person, request), and the events are durable before the response
// leaves the subgraph — no audit, no data. It runs in the subgraphs because willResolveField never fires on a
// federation gateway, which executes query plans rather than resolvers.
import type { ApolloServerPlugin } from '@apollo/server';
import { platformError } from '../../common/errors.ts';
import type { PersonalFields } from './personal-data.ts';
import type { SubgraphContext } from './types.ts';

export function personalDataAuditPlugin(
  fields: PersonalFields,
): ApolloServerPlugin<SubgraphContext<unknown>> {
  return {
    requestDidStart() {
      return Promise.resolve({
        executionDidStart() {
          return Promise.resolve({
            willResolveField({ source, info, contextValue }) {
              const type = info.parentType.name;
              if (!fields.get(type)?.has(info.fieldName)) return undefined;
              return (error: Error | null, result: unknown) => {
                // A refusal (the policy's or the legal-basis rule's) arrives as a returned Error, not a throw:
                // nothing was read, and the refusal is recorded where it was made.
                if (error || result instanceof Error) return;
                contextValue.personalData.noteRead(type, info.fieldName, source);
              };
            },
          });
        },
        async willSendResponse({ contextValue, response }) {
          const events = await contextValue.personalData.events();
          if (events.length === 0) return;
          try {
            await contextValue.audit.recordAll(events);
          } catch (error) {
            // The reads happened but cannot be accounted for: answer none of them, and say so with a stable code.
            // Only the driver's error code: a database error's detail can quote the row, personal data included.
            const code = (error as { code?: unknown } | null)?.code;
            contextValue.log.error(
              { auditError: typeof code === 'string' ? code : 'unknown' },
              'audit events not stored; response withheld',
            );
            const withheld = platformError(
              'AUDIT_UNAVAILABLE',
              'The audit log is unavailable; try again later.',
            );
            response.body = {
              kind: 'single',
              singleResult: {
                // Other plugins' willSendResponse run alongside this one: the request id is stamped here.
                errors: [
                  {
                    message: withheld.message,
                    extensions: { ...withheld.extensions, requestId: contextValue.requestId },
                  },
                ],
              },
            };
            // A 200 carrying the error: the gateway passes a subgraph's GraphQL errors on with their codes, while
            // a 5xx would reach the caller as a generic SERVICE_UNAVAILABLE.
          }
        },
      });
    },
  };
}
