// Whether a document is exposed to the caller (Dokumentlager's eksponertFor, FIKS-FACTS §6): PERSON by
// fødselsnummer, ORGANIZATION for a person acting for it, INTEGRATION by id, AUTHORIZATION for whoever holds
// privilege@resource. The exposures travel with the document row (`exposures`), loaded by the store.
import type { AccessChecker } from '../../access/access-checker.ts';
import type { Principal } from '../../access/principal.ts';
import type { Exposure } from './store.ts';

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

async function matches(exposure: Exposure, principal: Principal, access: AccessChecker): Promise<boolean> {
  switch (exposure.kind) {
    case 'PERSON':
      return principal.kind === 'person' && principal.pid === exposure.value;
    case 'ORGANIZATION':
      return principal.kind === 'person' && principal.actingFor?.orgnr === exposure.value;
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
