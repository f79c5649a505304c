// Who may read what in the organizations subgraph. Organisation number and name are public register data
// (Enhetsregisteret) but still only for authenticated callers; the resource tree is for those who hold a grant in the
// organisation; grants name persons, so only administrators of the resource see them.
import {
  fromArgs,
  fromParent,
  hasPrivilege,
  isAuthenticated,
  isMemberOf,
  isMemberOfResourceOrganization,
} from '../../access/rules.ts';
import type { PermissionMap } from '../runtime/shield.ts';

const memberOfParentOrg = isMemberOf(fromParent('orgnr'));
const adminOfParentResource = hasPrivilege('ADMIN', fromParent('resourceId'));

export const permissions: PermissionMap = {
  Query: {
    organization: isAuthenticated,
    // The resolver lists only organisations the caller holds a grant in.
    organizations: isAuthenticated,
    resource: isMemberOfResourceOrganization(fromArgs('id')),
    me: isAuthenticated,
  },
  Organization: {
    orgnr: isAuthenticated,
    name: isAuthenticated,
    rootResource: memberOfParentOrg,
    resources: memberOfParentOrg,
  },
  Resource: {
    id: memberOfParentOrg,
    type: memberOfParentOrg,
    name: memberOfParentOrg,
    parent: memberOfParentOrg,
    children: memberOfParentOrg,
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
