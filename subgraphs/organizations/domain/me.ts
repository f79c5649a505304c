// The `me` query: the verified principal, shaped for GraphQL.
import type { Principal } from '../../../access/principal.ts';

export function callerView(principal: Principal) {
  switch (principal.kind) {
    case 'person':
      return {
        kind: 'PERSON',
        pid: principal.pid,
        acr: principal.acr,
        actingFor: principal.actingFor ?? null,
        integrationId: null,
        orgnr: null,
      };
    case 'integration':
      return {
        kind: 'INTEGRATION',
        pid: principal.onBehalfOf?.pid ?? null,
        acr: principal.onBehalfOf?.acr ?? null,
        actingFor: null,
        integrationId: principal.integrationId,
        orgnr: principal.orgnr,
      };
  }
}
