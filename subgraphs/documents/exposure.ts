// Whether a document is exposed to the caller (Dokumentlager's eksponertFor, FIKS-FACTS §6): PERSON by
// fødselsnummer, ORGANIZATION for a person acting for it with the Altinn role Post/arkiv, INTEGRATION by id, AUTHORIZATION for whoever holds
// privilege@resource. The exposures travel with the document row (`exposures`), loaded by the store.
import type { AccessChecker } from '../../access/access-checker.ts';
import type { Principal } from '../../access/principal.ts';
import type { Exposure } from './store.ts';

/** The persons (fødselsnumre) a document is exposed to: whom it is about, for the audit log and the opt-outs. */
export function personsOf(exposures: readonly Exposure[]): string[] {
  return exposures.filter((e) => e.kind === 'PERSON').map((e) => e.value);
}

/** Who opens a document exposed to an organisation: Altinn's Post/arkiv, as a role code (Altinn 2) or its access
 * package (Altinn 3) — FIKS-FACTS §4 and §6. Also in documents.caller_exposed (migration 004). */
export const ORGANIZATION_EXPOSURE_ROLES: ReadonlySet<string> = new Set([
  'A0236',
  'urn:altinn:accesspackage:post-og-arkiv',
]);

export async function isExposedTo(
  document: unknown,
  principal: Principal,
  access: AccessChecker,
): Promise<boolean> {
  const exposures = (document as { exposures?: Exposure[] } | null)?.exposures;
  if (!Array.isArray(exposures)) return false;
  for (const exposure of exposures) {
    if (await matches(exposure, principal, access)) return true;
  }
  return false;
}

/** The document's exposures that the caller matches (each checked; the content audit names how the reader got in). */
export async function matchingExposures(
  exposures: readonly Exposure[],
  principal: Principal,
  access: AccessChecker,
): Promise<Exposure[]> {
  const found: Exposure[] = [];
  for (const exposure of exposures) {
    if (await matches(exposure, principal, access)) found.push(exposure);
  }
  return found;
}

async function matches(exposure: Exposure, principal: Principal, access: AccessChecker): Promise<boolean> {
  switch (exposure.kind) {
    case 'PERSON':
      return principal.kind === 'person' && principal.pid === exposure.value;
    case 'ORGANIZATION':
      return (
        principal.kind === 'person' &&
        principal.actingFor?.orgnr === exposure.value &&
        principal.actingFor.roles.some((role) => ORGANIZATION_EXPOSURE_ROLES.has(role))
      );
    case 'INTEGRATION':
      return principal.kind === 'integration' && principal.integrationId === exposure.value;
    case 'AUTHORIZATION': {
      const [privilege, resourceId] = exposure.value.split('@');
      return (
        privilege !== undefined && resourceId !== undefined && access.holdsPrivilege(privilege, resourceId)
      );
    }
    default:
      return false;
  }
}
