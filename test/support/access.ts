// Test data for rule evaluation without a database: synthetic principals and an AccessChecker answering from a fixed
// table of grants. It implements the real interface (access/access-checker.ts); it is data, not a mock of our code.
import type { AccessChecker } from '../../access/access-checker.ts';
import type { PersonPrincipal, IntegrationPrincipal } from '../../access/principal.ts';
import { DEMO_INTEGRATIONS, DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';

export const kari: PersonPrincipal = { kind: 'person', pid: DEMO_PERSONS.kari.pid, acr: 'idporten-loa-high' };
export const per: PersonPrincipal = {
  kind: 'person',
  pid: DEMO_PERSONS.per.pid,
  acr: 'idporten-loa-substantial',
};
export const caseSystem: IntegrationPrincipal = {
  kind: 'integration',
  integrationId: DEMO_INTEGRATIONS.fjordvikCaseSystem.id,
  orgnr: DEMO_ORGS.vendor.orgnr,
};

export interface Grants {
  /** `${privilege} ${orgnr}`: held on the organisation's root. */
  inOrganization?: string[];
  /** `${privilege} ${resourceId}`: held on the resource (or above it). */
  onResource?: string[];
  memberOf?: string[];
  /** Resource ids the actor holds some privilege on (or above). */
  anyOn?: string[];
  resources?: Record<string, string>;
  operator?: boolean;
  administersAny?: boolean;
  /** ADMIN held anywhere (true whenever administersAny is). */
  administersAnything?: boolean;
  /** Legal basis by resource id or orgnr. */
  legalBasis?: Record<string, string>;
}

/** An AccessChecker that answers from `grants` and records every question it was asked. */
export function fixedAccess(grants: Grants): AccessChecker & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    holdsPrivilege(privilege, resourceId) {
      asked.push(`holdsPrivilege ${privilege} ${resourceId}`);
      return Promise.resolve(grants.onResource?.includes(`${privilege} ${resourceId}`) ?? false);
    },
    holdsPrivilegeIn(privilege, orgnr) {
      asked.push(`holdsPrivilegeIn ${privilege} ${orgnr}`);
      return Promise.resolve(grants.inOrganization?.includes(`${privilege} ${orgnr}`) ?? false);
    },
    isMemberOf(orgnr) {
      asked.push(`isMemberOf ${orgnr}`);
      return Promise.resolve(grants.memberOf?.includes(orgnr) ?? false);
    },
    holdsAnyPrivilegeOn(resourceId) {
      asked.push(`holdsAnyPrivilegeOn ${resourceId}`);
      return Promise.resolve(grants.anyOn?.includes(resourceId) ?? false);
    },
    organizationOfResource(resourceId) {
      asked.push(`organizationOfResource ${resourceId}`);
      return Promise.resolve(grants.resources?.[resourceId] ?? null);
    },
    isPlatformOperator() {
      asked.push('isPlatformOperator');
      return Promise.resolve(grants.operator ?? false);
    },
    administersAnyOrganization() {
      asked.push('administersAnyOrganization');
      return Promise.resolve(grants.administersAny ?? false);
    },
    administersAnything() {
      asked.push('administersAnything');
      return Promise.resolve(grants.administersAnything ?? grants.administersAny ?? false);
    },
    legalBasis(where) {
      const key = where.resourceId ?? where.orgnr ?? '';
      asked.push(`legalBasis ${key}`);
      return Promise.resolve(grants.legalBasis?.[key] ?? null);
    },
  };
}
