// Whom an audit event's @personalData fields are about (runtime/personal-data.ts): each field its own person — the
// acting person (actorId), the person acted for (onBehalfOf), the person the event is about (dataSubject, payload).
// So a citizen reading an event about themselves reads their own data, but not the fødselsnummer of the caseworker
// who acted: that needs a legal basis the citizen does not have, and is refused.
import type { PersonalDataOwners } from '../runtime/personal-data.ts';
import type { SnoopingReport } from './report.ts';
import type { AuditEventRow } from './store.ts';

type SnoopingActorRow = SnoopingReport['actors'][number];

const event = {
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
};

export const personalData: PersonalDataOwners = {
  AuditEvent: event,
  // An event's inclusion proof opens the same fields of the same event (event-proof.ts): the same persons, the same
  // legal basis, the same record of the read.
  AuditEventProof: event,
  // The snooping report names the persons who read others' data: reading one's name in it is reading about them,
  // so each is recorded (and shows in that person's own access log). The resource is the organisation's report.
  SnoopingActor: {
    subjects: (row: SnoopingActorRow) => (row.actorType === 'PERSON' ? [row.actorId] : []),
    resource: (row: SnoopingActorRow) => ({ type: 'SnoopingReport', id: row.orgnr, orgnr: row.orgnr }),
  },
};
