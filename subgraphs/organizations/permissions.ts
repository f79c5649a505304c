// Who may read and change what in the organizations subgraph. Organisation number and name are public register data
// (Enhetsregisteret) but still only for authenticated callers; the resource tree is for persons who hold a grant in
// the organisation, while an integration sees only the resources it holds a grant on and what is beneath them (it
// needs only what it was granted, issue #9 item 10); grants name persons, so only administrators of the resource see
// them. Every change is a person's
// act, decided at the gateway from the arguments where it can be, and again in the domain module with the data.
import { all, any } from '../../access/policy.ts';
import {
  fromArgs,
  fromParent,
  hasPrivilege,
  hasPrivilegeIn,
  holdsAnyPrivilegeOn,
  isAuthenticated,
  isIntegration,
  isMemberOf,
  isMemberOfResourceOrganization,
  isPerson,
  isPlatformOperator,
  isTheActor,
} from '../../access/rules.ts';
import type { PermissionMap } from '../../access/permission-map.ts';

/** The whole tree: a person who holds a grant in the organisation. */
const seesTreeOfParentOrg = all(isPerson, isMemberOf(fromParent('orgnr')));
/** One resource: the whole tree's viewers, or an integration holding a grant on it or above it. */
/** Also asked by the resolvers for entity resolution and a resource's parent (runtime/visibility.ts): above what an
 * integration was granted, the parent is null, as for the root. */
export const seesResource = any(
  seesTreeOfParentOrg,
  all(isIntegration, holdsAnyPrivilegeOn(fromParent('id'))),
);
const adminOfParentResource = hasPrivilege('ADMIN', fromParent('resourceId'));
const adminOfParentOrg = hasPrivilegeIn('ADMIN', fromParent('orgnr'));
/** An administrator of the resource the privilege is held on, or the actor holding it. */
const seesAuthorization = any(
  adminOfParentResource,
  isTheActor(fromParent('actorType'), fromParent('actorId')),
);
const administersResourceArg = (name: string) => all(isPerson, hasPrivilege('ADMIN', fromArgs(name)));

export const permissions: PermissionMap = {
  Query: {
    organization: isAuthenticated,
    // The resolver lists only organisations the caller holds a grant in.
    organizations: isAuthenticated,
    resource: any(
      all(isPerson, isMemberOfResourceOrganization(fromArgs('id'))),
      all(isIntegration, holdsAnyPrivilegeOn(fromArgs('id'))),
    ),
    whoMay: hasPrivilege('ADMIN', fromArgs('resourceId')),
    whatMay: any(
      hasPrivilegeIn('ADMIN', fromArgs('orgnr')),
      isTheActor(fromArgs('actorType'), fromArgs('actorId')),
    ),
    me: isAuthenticated,
  },
  Mutation: {
    createOrganization: all(isPerson, isPlatformOperator),
    createResource: administersResourceArg('parentId'),
    grantPrivilege: administersResourceArg('resourceId'),
    // Which resource the grant is on is known only from the data; the domain module checks it.
    revokePrivilege: isPerson,
    grantTypePrivilege: all(isPerson, hasPrivilegeIn('ADMIN', fromArgs('orgnr'))),
    revokeTypePrivilege: isPerson,
    appointAdministrator: administersResourceArg('resourceId'),
    removeAdministrator: administersResourceArg('resourceId'),
  },
  Organization: {
    orgnr: isAuthenticated,
    name: isAuthenticated,
    rootResource: seesTreeOfParentOrg,
    resources: seesTreeOfParentOrg,
    typeGrants: adminOfParentOrg,
    integrationGrants: adminOfParentOrg,
  },
  Resource: {
    id: seesResource,
    type: seesResource,
    name: seesResource,
    parent: seesResource,
    children: seesResource,
    descendants: seesResource,
    organization: seesResource,
    grants: hasPrivilege('ADMIN', fromParent('id')),
  },
  Grant: {
    id: adminOfParentResource,
    actorType: adminOfParentResource,
    actorId: adminOfParentResource,
    privilege: adminOfParentResource,
    resource: adminOfParentResource,
    legalBasis: adminOfParentResource,
    createdAt: adminOfParentResource,
  },
  TypeGrant: {
    id: adminOfParentOrg,
    organization: adminOfParentOrg,
    actorType: adminOfParentOrg,
    actorId: adminOfParentOrg,
    privilege: adminOfParentOrg,
    resourceType: adminOfParentOrg,
    legalBasis: adminOfParentOrg,
    createdAt: adminOfParentOrg,
  },
  Authorization: {
    actorType: seesAuthorization,
    actorId: seesAuthorization,
    privilege: seesAuthorization,
    resource: seesAuthorization,
    source: seesAuthorization,
    grantedOn: seesAuthorization,
    grantId: seesAuthorization,
    typeGrantId: seesAuthorization,
  },
  // The caller's own identity.
  Caller: {
    kind: isAuthenticated,
    pid: isAuthenticated,
    acr: isAuthenticated,
    actingFor: isAuthenticated,
    integrationId: isAuthenticated,
    orgnr: isAuthenticated,
    organization: isAuthenticated,
  },
  ActingFor: {
    orgnr: isAuthenticated,
    organization: isAuthenticated,
    roles: isAuthenticated,
  },
};
