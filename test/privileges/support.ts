// Shared by the privilege-store tests: callers by name, and the mutations and queries they send.
import { expect } from 'vitest';
import { personAccessToken } from '../support/identity.ts';
import type { GraphQLResponse, TestPlatform } from '../support/platform.ts';

export type Headers = Record<string, string>;

export async function asPerson(
  platform: TestPlatform,
  pid: string,
  level: 'substantial' | 'high' = 'substantial',
): Promise<Headers> {
  return { authorization: `Bearer ${await personAccessToken(platform, pid, level)}` };
}

/** The data of a response that must have succeeded. */
export function dataOf<T = Record<string, unknown>>(response: GraphQLResponse): T {
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data as T;
}

/** The error code of a response that must have failed without data. */
export function refusalOf(response: GraphQLResponse): string | undefined {
  expect(response.body.data ?? null).toBeNull();
  return response.body.errors?.[0]?.extensions?.code as string | undefined;
}

export const GRANT = `mutation Grant($resourceId: ID!, $actorType: ActorType!, $actorId: String!, $privilege: String!) {
  grantPrivilege(resourceId: $resourceId, actorType: $actorType, actorId: $actorId, privilege: $privilege) {
    id actorType actorId privilege createdAt resource { id name }
  }
}`;

export const REVOKE = `mutation Revoke($grantId: ID!) { revokePrivilege(grantId: $grantId) }`;

export const APPOINT = `mutation Appoint($resourceId: ID!, $pid: String!) {
  appointAdministrator(resourceId: $resourceId, pid: $pid) { id privilege actorId }
}`;

export const REMOVE = `mutation Remove($resourceId: ID!, $pid: String!) { removeAdministrator(resourceId: $resourceId, pid: $pid) }`;

export const TYPE_GRANT = `mutation TypeGrant($orgnr: String!, $resourceType: String!, $actorType: ActorType!, $actorId: String!, $privilege: String!) {
  grantTypePrivilege(orgnr: $orgnr, resourceType: $resourceType, actorType: $actorType, actorId: $actorId, privilege: $privilege) {
    id resourceType privilege actorType actorId organization { orgnr }
  }
}`;

export const REVOKE_TYPE = `mutation RevokeType($id: ID!) { revokeTypePrivilege(id: $id) }`;

export const WHO_MAY = `query WhoMay($privilege: String!, $resourceId: ID!) {
  whoMay(privilege: $privilege, resourceId: $resourceId) {
    actorType actorId privilege source grantId typeGrantId resource { id } grantedOn { id type }
  }
}`;

export const WHAT_MAY = `query WhatMay($actorType: ActorType!, $actorId: String!, $orgnr: String!) {
  whatMay(actorType: $actorType, actorId: $actorId, orgnr: $orgnr) {
    privilege source grantId typeGrantId resource { id name } grantedOn { id }
  }
}`;

export interface Authorization {
  actorType: string;
  actorId: string;
  privilege: string;
  source: 'DIRECT' | 'INHERITED' | 'TYPE';
  grantId: string | null;
  typeGrantId: string | null;
  resource: { id: string; name?: string };
  grantedOn: { id: string; type?: string };
}

/** A document only those holding SVARUT.SEND on Fjordvik's SvarUt account (or ADMIN above it) may read. */
export const DOCUMENT_TITLE = `query Doc($id: ID!) { document(id: $id) { title } }`;
