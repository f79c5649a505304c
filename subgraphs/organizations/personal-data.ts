// Whom the organizations subgraph's rows with @personalData fields are about (runtime/personal-data.ts).
import type { PersonalDataOwners } from '../runtime/personal-data.ts';
import type { AuthorizationRow, GrantRow, TypeGrantRow } from './store.ts';

/** A grant's actor is a person (a fødselsnummer) or an integration (not a data subject). */
const actor = (row: { actorType: string; actorId: string }) =>
  row.actorType === 'PERSON' ? [row.actorId] : [];

export const personalData: PersonalDataOwners = {
  // The caller's own verified identity, shown back from the caller token: it reads nothing stored about anyone.
  Caller: {
    subjects: () => [],
    resource: () => ({ type: 'Caller', id: 'me', orgnr: null }),
  },
  Grant: {
    subjects: (row: GrantRow) => actor(row),
    resource: (row: GrantRow) => ({
      type: 'Grant',
      id: row.id,
      orgnr: row.orgnr,
      resourceIds: [row.resourceId],
    }),
  },
  TypeGrant: {
    subjects: (row: TypeGrantRow) => actor(row),
    resource: (row: TypeGrantRow) => ({ type: 'TypeGrant', id: row.id, orgnr: row.orgnr }),
  },
  // An authorization is not stored as such: it is named after the grant (or type grant) that gives it.
  Authorization: {
    subjects: (row: AuthorizationRow) => actor(row),
    resource: (row: AuthorizationRow) => ({
      type: row.grantId ? 'Grant' : 'TypeGrant',
      id: row.grantId ?? row.typeGrantId ?? row.resourceId,
      orgnr: null,
      resourceIds: [row.resourceId],
    }),
  },
};
