// The platform's authorization rules, built from Fiks privileges (FIKS-FACTS §5, DESIGN.md "The actors"). Each is a
// Policy (access/policy.ts): the gateway evaluates it before planning, each subgraph through graphql-shield.
import { check, type Policy, type PolicyInput } from './policy.ts';
import { acrAtLeast as loginMeets, type Acr } from '../common/acr.ts';
import { loginMeetsSecurityLevel } from './security-level.ts';

/** Where a rule finds the value it checks: an argument (known at the gateway) or the parent object (data). */
export type From = { from: 'args'; path: string[] } | { from: 'parent'; path: string[] };

export const fromArgs = (...path: string[]): From => ({ from: 'args', path });
export const fromParent = (...path: string[]): From => ({ from: 'parent', path });

function read(source: From, input: PolicyInput): unknown {
  let value: unknown = source.from === 'args' ? input.args : input.parent;
  for (const key of source.path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function readString(source: From, input: PolicyInput): string | undefined {
  const value = read(source, input);
  return typeof value === 'string' ? value : undefined;
}

/** The check options for a rule reading `source`: which parent field it needs, if any. */
function needs(source: From): { needsParent: boolean; parentKeys?: string[] } {
  return source.from === 'parent'
    ? { needsParent: true, parentKeys: [source.path[0]!] }
    : { needsParent: false };
}

/** Any verified caller. Every request that reaches a rule is authenticated; this names the intent. */
export const isAuthenticated: Policy = check('isAuthenticated', () => true, { needsParent: false });

export const isPerson: Policy = check('isPerson', ({ principal }) => principal.kind === 'person', {
  needsParent: false,
});

export const isIntegration: Policy = check(
  'isIntegration',
  ({ principal }) => principal.kind === 'integration',
  {
    needsParent: false,
  },
);

/** The person logged in at this level of assurance or higher (DIGDIR: idporten-loa-high for sensitive data). */
export function acrAtLeast(level: Acr): Policy {
  return check(
    `acrAtLeast(${level})`,
    ({ principal }) => principal.kind === 'person' && loginMeets(principal.acr, level),
    { needsParent: false },
  );
}

/**
 * The caller's login is strong enough for data at this Dokumentlager security level (FIKS-FACTS §6 sikkerhetsniva:
 * level 4 needs an idporten-loa-high login; access/security-level.ts says who meets what).
 */
export function meetsSecurityLevel(securityLevel: From): Policy {
  return check(
    'meetsSecurityLevel',
    (input) => {
      const level = read(securityLevel, input);
      return typeof level === 'number' && loginMeetsSecurityLevel(input.principal, level);
    },
    needs(securityLevel),
  );
}

/** The caller is the person the data is about (seed: "innbyggeren eier sine data"). */
export function isDataSubject(pid: From): Policy {
  return check(
    'isDataSubject',
    (input) => input.principal.kind === 'person' && readString(pid, input) === input.principal.pid,
    needs(pid),
  );
}

/** A person acting for the organisation (roles from Altinn); `role` narrows to one Altinn role code. */
export function actsFor(orgnr: From, role?: string): Policy {
  return check(
    role ? `actsFor(${role})` : 'actsFor',
    (input) => {
      const { principal } = input;
      if (principal.kind !== 'person' || !principal.actingFor) return false;
      if (principal.actingFor.orgnr !== readString(orgnr, input)) return false;
      return role === undefined || principal.actingFor.roles.includes(role);
    },
    needs(orgnr),
  );
}

/** Holds the privilege (or ADMIN) on the resource or on one above it in the tree. */
export function hasPrivilege(privilege: string, resourceId: From): Policy {
  return check(
    `hasPrivilege(${privilege})`,
    async (input) => {
      const id = readString(resourceId, input);
      return id !== undefined && (await input.access.holdsPrivilege(privilege, id));
    },
    needs(resourceId),
  );
}

/** Holds the privilege (or ADMIN) on the organisation's root: everywhere in it. */
export function hasPrivilegeIn(privilege: string, orgnr: From): Policy {
  return check(
    `hasPrivilegeIn(${privilege})`,
    async (input) => {
      const value = readString(orgnr, input);
      return value !== undefined && (await input.access.holdsPrivilegeIn(privilege, value));
    },
    needs(orgnr),
  );
}

/** Holds any grant in the organisation: a person who does may see its resource tree. */
export function isMemberOf(orgnr: From): Policy {
  return check(
    'isMemberOf',
    async (input) => {
      const value = readString(orgnr, input);
      return value !== undefined && (await input.access.isMemberOf(value));
    },
    needs(orgnr),
  );
}

/**
 * Holds some privilege on the resource or on one above it, directly or by type: what an integration may see of the
 * tree (issue #9 item 10 — only what it was granted, and what is beneath it).
 */
export function holdsAnyPrivilegeOn(resourceId: From): Policy {
  return check(
    'holdsAnyPrivilegeOn',
    async (input) => {
      const id = readString(resourceId, input);
      return id !== undefined && (await input.access.holdsAnyPrivilegeOn(id));
    },
    needs(resourceId),
  );
}

/** Holds any grant in the organisation the resource belongs to. */
export function isMemberOfResourceOrganization(resourceId: From): Policy {
  return check(
    'isMemberOfResourceOrganization',
    async (input) => {
      const id = readString(resourceId, input);
      const orgnr = id === undefined ? null : await input.access.organizationOfResource(id);
      return orgnr !== null && (await input.access.isMemberOf(orgnr));
    },
    needs(resourceId),
  );
}

/** One of the platform's operators (creates organisations). */
export const isPlatformOperator: Policy = check(
  'isPlatformOperator',
  ({ access }) => access.isPlatformOperator(),
  { needsParent: false },
);

/** Holds ADMIN on something, anywhere (an organisation, a resource in one, or a type of resource). */
export const administersSomething: Policy = check(
  'administersSomething',
  ({ access }) => access.administersAnything(),
  { needsParent: false },
);

/** The caller is this actor: the person with this fødselsnummer, or the integration with this id. */
export function isTheActor(actorType: From, actorId: From): Policy {
  return check(
    'isTheActor',
    (input) => {
      const type = readString(actorType, input);
      const id = readString(actorId, input);
      const { principal } = input;
      if (principal.kind === 'person') return type === 'PERSON' && id === principal.pid;
      return type === 'INTEGRATION' && id === principal.integrationId;
    },
    {
      needsParent: needs(actorType).needsParent || needs(actorId).needsParent,
      parentKeys: [...(needs(actorType).parentKeys ?? []), ...(needs(actorId).parentKeys ?? [])],
    },
  );
}

/** The caller is this integration. */
export function isTheIntegration(integrationId: From): Policy {
  return check(
    'isTheIntegration',
    (input) =>
      input.principal.kind === 'integration' &&
      input.principal.integrationId === readString(integrationId, input),
    needs(integrationId),
  );
}
