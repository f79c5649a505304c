// Every subgraph's field policies, and nothing else of the subgraphs: the one door through which the gateway (and
// the coverage test) learn what the subgraphs allow, without importing their resolvers, stores or SQL.
import { mergePermissions, type PermissionMap } from '../access/permission-map.ts';
import { permissions as audit } from './audit/permissions.ts';
import { permissions as documents } from './documents/permissions.ts';
import { permissions as integrations } from './integrations/permissions.ts';
import { permissions as organizations } from './organizations/permissions.ts';

export const SUBGRAPH_PERMISSIONS = { organizations, integrations, documents, audit } as const;

/** The supergraph's policies: a field contributed by several subgraphs must pass every one's policy. */
export const SUPERGRAPH_PERMISSIONS: PermissionMap = mergePermissions(Object.values(SUBGRAPH_PERMISSIONS));
