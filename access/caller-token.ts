// The caller token: how the gateway tells a subgraph who is calling, and for which request. A compact JWS (EdDSA)
// signed by the gateway for one subgraph call, audience-bound to that subgraph, short-lived. Subgraphs hold only
// the public key, so a subgraph cannot mint tokens for another. The claims are encoded and decoded only here.
import { isUuid } from '../common/identifiers.ts';
import { isAcr, type Principal } from './principal.ts';

export const CALLER_TOKEN_ISSUER = 'urn:fiks-gateway';
export const CALLER_TOKEN_ALG = 'EdDSA';
export const CALLER_TOKEN_TYPE = 'fiks-caller+jwt';

export function callerTokenAudience(subgraph: string): string {
  return `urn:fiks-gateway:subgraph:${subgraph}`;
}

/** The private claim holding the principal. */
export const PRINCIPAL_CLAIM = 'prn';
/** The private claim holding the gateway's id of the request the call is made for. */
export const REQUEST_ID_CLAIM = 'rid';

/** The gateway's request ids are UUIDs in the lower case randomUUID() writes (common/http-server.ts); nothing else is
 * signed or accepted, so one request has one spelling in every log line. */
function isRequestId(value: unknown): value is string {
  return isUuid(value) && value === value.toLowerCase();
}

/** Who calls a subgraph, and for which request, as the subgraph sees it after verifying the token. */
export interface VerifiedCaller {
  principal: Principal;
  requestId: string;
}

/** The private claims of a caller token. Throws on a request id that a subgraph would refuse. */
export function callerClaims(principal: Principal, requestId: string): Record<string, unknown> {
  if (!isRequestId(requestId)) throw new Error('caller token: the request id is not a UUID');
  return { [REQUEST_ID_CLAIM]: requestId, [PRINCIPAL_CLAIM]: principal };
}

/** Reads the caller back from verified claims; anything not exactly of a known shape is refused (null). */
export function callerFromClaims(claims: Record<string, unknown>): VerifiedCaller | null {
  const requestId = claims[REQUEST_ID_CLAIM];
  if (!isRequestId(requestId)) return null;
  const principal = principalFromClaims(claims);
  return principal && { principal, requestId };
}

/** Reads a principal back from verified claims; anything not exactly of a known shape is refused (null). */
function principalFromClaims(claims: Record<string, unknown>): Principal | null {
  const p = claims[PRINCIPAL_CLAIM];
  if (typeof p !== 'object' || p === null) return null;
  const v = p as Record<string, unknown>;
  switch (v.kind) {
    case 'person': {
      if (typeof v.pid !== 'string' || !isAcr(v.acr)) return null;
      const person: Principal = { kind: 'person', pid: v.pid, acr: v.acr };
      if (typeof v.sessionId === 'string') person.sessionId = v.sessionId;
      const af = v.actingFor as Record<string, unknown> | undefined;
      if (af !== undefined) {
        if (typeof af.orgnr !== 'string' || !Array.isArray(af.roles)) return null;
        if (!af.roles.every((r) => typeof r === 'string')) return null;
        person.actingFor = { orgnr: af.orgnr, roles: af.roles };
      }
      return person;
    }
    case 'integration': {
      if (typeof v.integrationId !== 'string' || typeof v.orgnr !== 'string') return null;
      const integration: Principal = { kind: 'integration', integrationId: v.integrationId, orgnr: v.orgnr };
      if (typeof v.tokenId === 'string') integration.tokenId = v.tokenId;
      const obo = v.onBehalfOf as Record<string, unknown> | undefined;
      if (obo !== undefined) {
        if (typeof obo.pid !== 'string' || !isAcr(obo.acr)) return null;
        integration.onBehalfOf = { pid: obo.pid, acr: obo.acr };
      }
      return integration;
    }
    default:
      return null;
  }
}
