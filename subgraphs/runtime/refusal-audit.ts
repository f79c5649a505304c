// Fields a subgraph refused, in the audit log (issue #10 item 4): one FIELD_REFUSED event per request that had any,
// for the verified caller, listing the refused `Type.field` coordinates and how many refusals there were.
//
// A shield denial (shield.ts) is not thrown: graphql-shield hands its fallback error back as the field's value (and,
// with allowExternalErrors, does the same with an error a rule or resolver threw), so both a returned and a thrown
// error with extensions.code FORBIDDEN count. FIELD_REFUSED rather than OPERATION_REFUSED: the operation ran, and
// what the caller was allowed to see was answered; OPERATION_REFUSED is the gateway's refusal of a whole operation.
//
// The event is stored before the response leaves (willSendResponse, through a group committer, so concurrent
// requests' events share a commit). If it cannot be stored, the answer is AUDIT_UNAVAILABLE with no data: a refusal
// the log does not show must not happen silently.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { auditActor } from '../../auditlog/event.ts';
import { createGroupCommitter, type AuditAppender } from '../../auditlog/group-commit.ts';
import type { Principal } from '../../access/principal.ts';
import type { Queryable } from '../../db/database.ts';
import type { SubgraphContext } from './types.ts';

/** Distinct coordinates kept per request: a schema has few fields, but an alias flood repeats them. */
const MAX_FIELDS = 50;

export interface RefusalAuditOptions {
  /** The subgraph's name, the events' service. */
  service: string;
  /** Where events are appended; a group committer is made from it unless `appender` is given. */
  db: Queryable;
  appender?: AuditAppender;
}

function isForbidden(value: unknown): boolean {
  if (!(value instanceof Error)) return false;
  const extensions = (value as { extensions?: { code?: unknown } }).extensions;
  return extensions?.code === 'FORBIDDEN';
}

function orgnrOf(principal: Principal): string | null {
  return principal.kind === 'person' ? (principal.actingFor?.orgnr ?? null) : principal.orgnr;
}

export function refusalAuditPlugin<Store>(
  options: RefusalAuditOptions,
): ApolloServerPlugin<SubgraphContext<Store>> {
  const appender = options.appender ?? createGroupCommitter(options.db);
  return {
    requestDidStart() {
      const refused = new Map<string, number>();
      return Promise.resolve({
        executionDidStart() {
          return Promise.resolve({
            willResolveField({ info }) {
              return (error: Error | null, result: unknown) => {
                if (!isForbidden(error) && !isForbidden(result)) return;
                const coordinate = `${info.parentType.name}.${info.fieldName}`;
                if (refused.has(coordinate) || refused.size < MAX_FIELDS) {
                  refused.set(coordinate, (refused.get(coordinate) ?? 0) + 1);
                }
              };
            },
          });
        },
        async willSendResponse({ response, contextValue }) {
          // A refusal for want of a legal basis is recorded as PERSONAL_DATA_REFUSED (personal-data-reads.ts),
          // with whose data it was: it is not counted again here.
          let count = 0;
          const fields: string[] = [];
          for (const [coordinate, n] of refused) {
            const left = n - contextValue.personalData.refusalsAt(coordinate);
            if (left <= 0) continue;
            count += left;
            fields.push(coordinate);
          }
          if (count === 0) return;
          const { principal, requestId } = contextValue;
          try {
            await appender.append([
              {
                ...auditActor(principal),
                orgnr: orgnrOf(principal),
                service: options.service,
                action: 'FIELD_REFUSED',
                requestId,
                payload: { count, fields: fields.sort() },
              },
            ]);
          } catch (error) {
            // Only the driver's error code: a database error's detail can quote the row.
            const code = (error as { code?: unknown } | null)?.code;
            contextValue.log.error(
              { auditError: typeof code === 'string' ? code : 'unknown' },
              'refusal not audited; response withheld',
            );
            const unavailable: GraphQLFormattedError = {
              message: 'The audit log is unavailable; try again later.',
              extensions: { code: 'AUDIT_UNAVAILABLE', requestId },
            };
            // A 200 carrying the error, so the gateway passes the code on (a 5xx becomes SERVICE_UNAVAILABLE there).
            response.body = { kind: 'single', singleResult: { errors: [unavailable] } };
          }
        },
      });
    },
  };
}
