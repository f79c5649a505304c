// Whom an audit event's @personalData fields are about (runtime/personal-data.ts): each field its own person — the
// acting person (actorId), the person acted for (onBehalfOf), the person the event is about (dataSubject, payload).
// So a citizen reading an event about themselves reads their own data, but not the fødselsnummer of the caseworker
// who acted: that needs a legal basis the citizen does not have, and is refused.
import type { PersonalDataOwners } from '../runtime/personal-data.ts';
import type { AuditEventRow } from './store.ts';

export const personalData: PersonalDataOwners = {
  AuditEvent: {
    subjects: (row: AuditEventRow, field: string) => {
      switch (field) {
        case 'actorId':
          return row.actorType === 'PERSON' ? [row.actorId] : [];
        case 'onBehalfOf':
          return [row.onBehalfOf];
        case 'dataSubject':
          return [row.dataSubject];
        default:
          // The payload may name the data subject and the actor (a grant's actor is its data subject).
          return [row.dataSubject];
      }
    },
    resource: (row: AuditEventRow) => ({ type: 'AuditEvent', id: row.id, orgnr: row.orgnr }),
  },
};
