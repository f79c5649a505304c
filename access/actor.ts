// Who acts, as the privilege store and the audit log name it. One mapping from a principal, used by privilege checks,
// grants, audit events and row-level security alike, so "who did this" is spelled the same everywhere.
import type { Principal } from './principal.ts';

export interface Actor {
  type: 'PERSON' | 'INTEGRATION';
  /** A person's fødselsnummer (never logged) or an integration's id. */
  id: string;
}

/** The actor whose grants apply: the person, or the integration (also when it acts for a person). */
export function actorOf(principal: Principal): Actor {
  return principal.kind === 'person'
    ? { type: 'PERSON', id: principal.pid }
    : { type: 'INTEGRATION', id: principal.integrationId };
}

/** For whom the actor acts: the organisation a person acts for, or the person an integration acts for. */
export function onBehalfOf(principal: Principal): string | null {
  return principal.kind === 'person'
    ? (principal.actingFor?.orgnr ?? null)
    : (principal.onBehalfOf?.pid ?? null);
}
