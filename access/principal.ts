// Who is calling, as the gateway verified it. Subgraphs receive this through the caller token and never parse an
// external token themselves.

import type { Acr } from '../common/acr.ts';

export { ACR_LEVELS, isAcr, type Acr } from '../common/acr.ts';

/** A person acting for an organisation, with the Altinn roles they hold there. */
export interface ActingFor {
  orgnr: string;
  roles: string[];
}

export interface PersonPrincipal {
  kind: 'person';
  /** Fødselsnummer or d-nummer from ID-porten's `pid`. Never logged. */
  pid: string;
  acr: Acr;
  actingFor?: ActingFor;
  /** Session id (browser login) or token id (bearer), for audit and revocation. */
  sessionId?: string;
}

export interface IntegrationPrincipal {
  kind: 'integration';
  integrationId: string;
  /** The organisation the Maskinporten token's `consumer` names, equal to the integration's authorised one. */
  orgnr: string;
  /** Set when the integration calls with a person's ID-porten token. */
  onBehalfOf?: { pid: string; acr: Acr };
  tokenId?: string;
}

export type Principal = PersonPrincipal | IntegrationPrincipal;
