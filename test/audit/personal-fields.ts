// The fields that hold a person's data, kept by hand next to the coverage test: each must be marked @personalData in
// its subgraph's SDL. The test also finds any field that answers a fødselsnummer and is not marked, so this list is
// for what a fødselsnummer check cannot see: names, titles, free text, JSON.
export const PERSONAL_FIELDS = [
  'Caller.pid',
  'Grant.actorId',
  'TypeGrant.actorId',
  'Authorization.actorId',
  'Document.title',
  'Exposure.value',
  'AuditEvent.actorId',
  'AuditEvent.onBehalfOf',
  'AuditEvent.dataSubject',
  'AuditEvent.payload',
  'AuditEventProof.actorId',
  'AuditEventProof.onBehalfOf',
  'AuditEventProof.dataSubject',
  'AuditEventProof.payload',
  'SnoopingActor.actorId',
];
