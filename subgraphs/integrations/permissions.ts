// Who may see and manage integrations: administrators of the owning organisation; a global integration is visible to
// every organisation's administrators; an integration sees itself. Passwords are never readable, only shown once.
import { all, any, check } from '../../access/policy.ts';
import {
  fromArgs,
  fromParent,
  hasPrivilegeIn,
  isAuthenticated,
  isPerson,
  isTheIntegration,
} from '../../access/rules.ts';
import type { PermissionMap } from '../../access/permission-map.ts';

/** Global integrations are visible to every organisation (FIKS-FACTS §1): to any person who administers one. */
const isGlobal = check(
  'isGlobalIntegration',
  ({ parent }) => (parent as { global?: unknown }).global === true,
  {
    needsParent: true,
  },
);

const administersAnOrganization = check(
  'administersAnyOrganization',
  ({ access }) => access.administersAnyOrganization(),
  { needsParent: false },
);

/** Who sees an integration: the field rule below, and the resolvers' by-id and entity lookups (runtime/visibility.ts). */
export const seesIntegration = any(
  hasPrivilegeIn('ADMIN', fromParent('ownerOrgnr')),
  isTheIntegration(fromParent('id')),
  all(isPerson, isGlobal, administersAnOrganization),
);

export const permissions: PermissionMap = {
  Query: {
    // The resolver answers null for an integration the caller may not see, as for one that does not exist.
    integration: isAuthenticated,
  },
  Mutation: {
    createIntegration: all(isPerson, hasPrivilegeIn('ADMIN', fromArgs('input', 'ownerOrgnr'))),
    // The owner is known only from the data; the resolver checks it.
    rotateIntegrationPassword: isPerson,
    setIntegrationEnabled: isPerson,
    registerTrustedOperations: isPerson,
    setIntegrationOperationsMode: isPerson,
  },
  Integration: {
    id: seesIntegration,
    name: seesIntegration,
    description: seesIntegration,
    ownerOrganization: seesIntegration,
    authorizedOrganization: seesIntegration,
    global: seesIntegration,
    enabled: seesIntegration,
    createdAt: seesIntegration,
    operationsMode: seesIntegration,
    operationsVersion: seesIntegration,
    // The list is the owner's and the integration's own: not for other organisations that see a global integration.
    trustedOperations: any(
      hasPrivilegeIn('ADMIN', fromParent('ownerOrgnr')),
      isTheIntegration(fromParent('id')),
    ),
  },
  TrustedOperation: {
    sha256: isAuthenticated,
    name: isAuthenticated,
    body: isAuthenticated,
    limits: isAuthenticated,
    registeredAt: isAuthenticated,
  },
  TrustedOperationLimits: {
    maxDepth: isAuthenticated,
    maxAliases: isAuthenticated,
    maxRootFields: isAuthenticated,
    maxDirectives: isAuthenticated,
    maxCost: isAuthenticated,
  },
  IntegrationWithPassword: {
    integration: isPerson,
    password: isPerson,
  },
  Organization: {
    orgnr: isAuthenticated,
    integrations: hasPrivilegeIn('ADMIN', fromParent('orgnr')),
  },
};
