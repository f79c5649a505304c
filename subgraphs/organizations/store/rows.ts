// The rows the organizations store answers with, and the column lists that produce them.
import { isoTimestamp } from '../../../db/timestamps.ts';

export interface OrganizationRow {
  orgnr: string;
  name: string;
}
export interface ResourceRow {
  id: string;
  orgnr: string;
  parentId: string | null;
  type: string;
  name: string;
}
export type ActorType = 'PERSON' | 'INTEGRATION';
export interface GrantRow {
  id: string;
  orgnr: string;
  actorType: ActorType;
  actorId: string;
  privilege: string;
  resourceId: string;
  /** The law the grant rests on; every audited read of another person's data through it names it. */
  legalBasis: string | null;
  createdAt: string;
}
export interface TypeGrantRow {
  id: string;
  orgnr: string;
  actorType: ActorType;
  actorId: string;
  privilege: string;
  resourceType: string;
  legalBasis: string | null;
  createdAt: string;
}
/** An actor's privilege on one resource and the grant (or type grant) that gives it. */
export interface AuthorizationRow {
  actorType: ActorType;
  actorId: string;
  privilege: string;
  resourceId: string;
  source: 'DIRECT' | 'INHERITED' | 'TYPE';
  grantedOnId: string;
  grantId: string | null;
  typeGrantId: string | null;
}

/** Timestamps leave the store as ISO strings. */
export function withIsoDate<R extends { createdAt: Date | string }>(row: R): R & { createdAt: string } {
  return {
    ...row,
    createdAt: isoTimestamp(row.createdAt),
  };
}

export const RESOURCE_COLUMNS = 'id, orgnr, parent_id as "parentId", type, name';
export const GRANT_COLUMNS = `id, orgnr, actor_type as "actorType", actor_id as "actorId", privilege,
  resource_id as "resourceId", legal_basis as "legalBasis", created_at as "createdAt"`;
export const TYPE_GRANT_COLUMNS = `id, orgnr, actor_type as "actorType", actor_id as "actorId", privilege,
  resource_type as "resourceType", legal_basis as "legalBasis", created_at as "createdAt"`;

/** A row as the driver returns it, before its timestamp becomes a string. */
export type Dated<R> = Omit<R, 'createdAt'> & { createdAt: Date | string };
