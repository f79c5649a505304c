// The caller token: how the gateway tells a subgraph who is calling. A compact JWS (EdDSA) signed by the gateway,
// audience-bound to one subgraph, short-lived. Subgraphs hold only the public key, so a subgraph cannot mint
// tokens for another. The claims are encoded and decoded only here.
import { isAcr, type Principal } from './principal.ts';

export const CALLER_TOKEN_ISSUER = 'urn:fiks-gateway';
export const CALLER_TOKEN_ALG = 'EdDSA';
/** The header the request id travels in beside the caller token (it is not part of the signed claims). */
export const REQUEST_ID_HEADER = 'x-fiks-request-id';

export function callerTokenAudience(subgraph: string): string {
  return `urn:fiks-gateway:subgraph:${subgraph}`;
}

/** The private claim holding the principal. */
export const PRINCIPAL_CLAIM = 'prn';

/** A stable key for a principal: two requests by the same principal may share one cached caller token. */
export function principalKey(principal: Principal): string {
  return JSON.stringify(principal);
}

/** Reads a principal back from verified claims; anything not exactly of a known shape is refused (null). */
export function principalFromClaims(claims: Record<string, unknown>): Principal | null {
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
