// Operations the gateway refuses, in the audit log as OPERATION_REFUSED (gateway/audit/security-events.ts): the
// authorization walk's FORBIDDEN, the operation limits (MAX_*_EXCEEDED) and the step-up refusal
// (INSUFFICIENT_AUTHENTICATION_LEVEL), for the authenticated actor, with the operation's name and the refused field.
//
// Counted per (actor, code) and window, not written per request: an authenticated caller can repeat a refused
// operation as fast as an anonymous one, and a refusal that costs the gateway nothing must not cost it a database
// commit each. The event keeps the count, the distinct operations and fields, and the first request's id.
//
// A FORBIDDEN that a subgraph answered (execution had started) is that subgraph's FIELD_REFUSED event
// (subgraphs/runtime/refusal-audit.ts), not counted twice here. Unauthenticated requests never reach this plugin;
// gateway/audit/authentication-audit.ts records them.
import type { ApolloServerPlugin } from '@apollo/server';
import { OPERATION_LIMIT_CODES } from '../../common/errors.ts';
import type { GatewayContext } from '../context.ts';
import { fieldCoordinate } from '../audit/field-coordinate.ts';
import type { SecurityEvents } from '../audit/security-events.ts';

/** Refused before execution, by the gateway itself. */
const GATEWAY_REFUSALS = new Set<string>(['FORBIDDEN', ...OPERATION_LIMIT_CODES]);
/** Refused during execution by a subgraph, and not recorded there (it is no shield denial). */
const STEP_UP = 'INSUFFICIENT_AUTHENTICATION_LEVEL';

export interface RefusalAuditOptions {
  events: Pick<SecurityEvents, 'operationRefused'>;
}

export function refusalAuditPlugin({ events }: RefusalAuditOptions): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart() {
      let executed = false;
      return Promise.resolve({
        executionDidStart() {
          executed = true;
          return Promise.resolve();
        },
        willSendResponse({ response, contextValue, operation, operationName, document, schema }) {
          if (response.body.kind !== 'single') return Promise.resolve();
          const byCode = new Map<string, string[]>();
          for (const error of response.body.singleResult.errors ?? []) {
            const code = error.extensions?.code;
            if (typeof code !== 'string') continue;
            if (!(code === STEP_UP || (!executed && GATEWAY_REFUSALS.has(code)))) continue;
            const fields = byCode.get(code) ?? [];
            byCode.set(code, fields);
            if (!error.path?.length) continue;
            const coordinate =
              operation && document ? fieldCoordinate(schema, document, operation, error.path) : undefined;
            fields.push(coordinate ?? error.path.join('.'));
          }
          for (const [code, fields] of byCode) {
            events.operationRefused({
              code,
              principal: contextValue.principal,
              operation: operationName,
              fields,
              requestId: contextValue.requestId,
            });
          }
          return Promise.resolve();
        },
      });
    },
  };
}
