// Who may read and change what in the organizations subgraph. Organisation number and name are public register data
// (Enhetsregisteret) but still only for authenticated callers; the resource tree is for those who hold a grant in the
// organisation; grants name persons, so only administrators of the resource see them. Every change is a person's
// act, decided at the gateway from the arguments where it can be, and again in the domain module with the data.
import { all, any } from '../../access/policy.ts';
import {
  fromArgs,
  fromParent,
  hasPrivilege,
  hasPrivilegeIn,
  isAuthenticated,
  isMemberOf,
  isMemberOfResourceOrganization,
  isPerson,
  isPlatformOperator,
  isTheActor,
} from '../../access/rules.ts';
import type { PermissionMap } from '../../access/permission-map.ts';

const memberOfParentOrg = isMemberOf(fromParent('orgnr'));
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
    resource: isMemberOfResourceOrganization(fromArgs('id')),
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
    rootResource: memberOfParentOrg,
    resources: memberOfParentOrg,
    typeGrants: adminOfParentOrg,
    integrationGrants: adminOfParentOrg,
  },
  Resource: {
    id: memberOfParentOrg,
    type: memberOfParentOrg,
    name: memberOfParentOrg,
    parent: memberOfParentOrg,
    children: memberOfParentOrg,
    descendants: memberOfParentOrg,
    organization: memberOfParentOrg,
    grants: hasPrivilege('ADMIN', fromParent('id')),
  },
  Grant: {
    id: adminOfParentResource,
    actorType: adminOfParentResource,
    actorId: adminOfParentResource,
    privilege: adminOfParentResource,
    resource: adminOfParentResource,
    createdAt: adminOfParentResource,
  },
  TypeGrant: {
    id: adminOfParentOrg,
    organization: adminOfParentOrg,
    actorType: adminOfParentOrg,
    actorId: adminOfParentOrg,
    privilege: adminOfParentOrg,
    resourceType: adminOfParentOrg,
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
