// Dokumentlager's security level (sikkerhetsnivå, FIKS-FACTS §6: 3 or 4) against the caller's login. Level 3 is
// ID-porten's idporten-loa-substantial and level 4 its idporten-loa-high (FIKS-FACTS §3: Level3/Level4); a person
// downloads a level-4 document only after a level-4 login (§6: /nedlasting/niva4/{id}).
import { acrAtLeast } from '../common/acr.ts';
import type { Acr, Principal } from './principal.ts';

const ACR_OF_LEVEL: Record<number, Acr> = { 3: 'idporten-loa-substantial', 4: 'idporten-loa-high' };

/** The ID-porten level a security level asks for; undefined for a level that does not exist. */
export function requiredAcr(securityLevel: number): Acr | undefined {
  return ACR_OF_LEVEL[securityLevel];
}

/**
 * The ID-porten login the request rests on: the person's, or that of the person an integration calls for (their
 * token is the credential). Null for an integration calling with its Maskinporten token: no person logged in.
 */
export function loginAcr(principal: Principal): Acr | null {
  if (principal.kind === 'person') return principal.acr;
  return principal.onBehalfOf?.acr ?? null;
}

/**
 * Whether the caller's login is strong enough for data at this security level. An integration alone meets every
 * level: Dokumentlager's level is a person's login level, and integrations read and write level-4 documents exposed
 * to them (FIKS-FACTS §6: the client encrypts level-4 uploads; exposure decides who may read). An unknown level is
 * met by nobody.
 */
export function loginMeetsSecurityLevel(principal: Principal, securityLevel: number): boolean {
  const required = requiredAcr(securityLevel);
  if (required === undefined) return false;
  const acr = loginAcr(principal);
  if (acr === null) return principal.kind === 'integration';
  return acrAtLeast(acr, required);
}
