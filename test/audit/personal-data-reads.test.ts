// The resolver-level audit of personal data (issue #10, items 2, 3 and 5): a read of a @personalData field by anyone
// but the person it is about is one event per (resource, person, request), with the legal basis of the grant that
// allowed it; a read with no legal basis is refused and recorded; and when the events cannot be stored, no personal
// data leaves the subgraph.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DOCUMENTS, DEMO_ORGS, DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { asPerson, dataOf, type Headers } from '../privileges/support.ts';

const FJ = DEMO_ORGS.fjordvik.orgnr;
const ADMINISTRATION =
  'personvernforordningen art. 6 nr. 1 bokstav e, jf. kommuneloven § 25-1 (internkontroll: tilgangsstyring)';
/** A document for the caseworker test: exposed to Ola, and to whoever holds SKOLE.LES on Oppvekst. */
const SCHOOL_DOCUMENT = 'd0000000-0000-4000-8000-00000000a001';

interface Row {
  action: string;
  actor_type: string;
  actor_id: string;
  orgnr: string | null;
  service: string;
  data_subject: string | null;
  legal_basis: string | null;
  request_id: string | null;
  payload: { resourceType: string; resourceId: string; fields: string[]; reason?: string };
}

describe('audit / reads of personal data', () => {
  let platform: TestPlatform;
  let kari: Headers;
  let ola: Headers;
  let per: Headers;

  /** The personal-data events of one request, by the request id the gateway answered with. */
  const eventsOf = async (requestId: string | null) =>
    platform.db.query<Row>(
      `select action, actor_type, actor_id, orgnr, service, data_subject, legal_basis, request_id, payload
         from audit.event where request_id = $1 and action like 'PERSONAL_DATA_%' order by seq`,
      [requestId],
    );

  beforeAll(async () => {
    platform = await startTestPlatform();
    kari = await asPerson(platform, DEMO_PERSONS.kari.pid);
    ola = await asPerson(platform, DEMO_PERSONS.ola.pid);
    per = await asPerson(platform, DEMO_PERSONS.per.pid);
    await platform.db.query(
      `insert into documents.document (id, orgnr, title, mime_type, size_bytes, security_level)
       values ($1, $2, 'Skoleplass for Ola', 'application/pdf', 100, 3)`,
      [SCHOOL_DOCUMENT, FJ],
    );
    await platform.db.query(
      `insert into documents.exposure (document_id, kind, value) values ($1, 'PERSON', $2), ($1, 'AUTHORIZATION', $3)`,
      [SCHOOL_DOCUMENT, DEMO_PERSONS.ola.pid, `SKOLE.LES@${DEMO_RESOURCES.fjordvikOppvekst}`],
    );
  });
  afterAll(() => platform.stop());

  it("records an administrator's read of a citizen's document once, with the fields read and the legal basis", async () => {
    const response = await platform.graphql(
      `{ document(id: "${DEMO_DOCUMENTS.kindergartenDecision}") {
           id mimeType exposedTo { kind value } again: exposedTo { value } } }`,
      {},
      kari,
    );
    // The administrator sees the metadata, who it is exposed to included, never the title (issue #11 item 5).
    expect(dataOf(response)).toMatchObject({
      document: { exposedTo: [{ kind: 'PERSON', value: DEMO_PERSONS.ola.pid }] },
    });
    const requestId = response.headers.get('x-request-id');
    expect(await eventsOf(requestId)).toEqual([
      {
        action: 'PERSONAL_DATA_READ',
        actor_type: 'PERSON',
        actor_id: DEMO_PERSONS.kari.pid,
        orgnr: FJ,
        service: 'documents',
        data_subject: DEMO_PERSONS.ola.pid,
        legal_basis: ADMINISTRATION,
        request_id: requestId,
        // Exposure.value is the document's, read twice and recorded once; mimeType is not personal data.
        payload: {
          resourceType: 'Document',
          resourceId: DEMO_DOCUMENTS.kindergartenDecision,
          fields: ['value'],
        },
      },
    ]);
  });

  it('records nothing when the person reads their own data', async () => {
    const response = await platform.graphql(
      `{ me { pid } document(id: "${DEMO_DOCUMENTS.kindergartenDecision}") { title exposedTo { value } } }`,
      {},
      ola,
    );
    expect(dataOf(response)).toMatchObject({ me: { pid: DEMO_PERSONS.ola.pid } });
    expect(await eventsOf(response.headers.get('x-request-id'))).toEqual([]);
  });

  it('records one event per person named in a list of grants, and none for integrations', async () => {
    const response = await platform.graphql(
      `{ resource(id: "${DEMO_RESOURCES.fjordvikSvarUt}") { grants { actorType actorId } } }`,
      {},
      kari,
    );
    const grants = dataOf<{ resource: { grants: { actorType: string; actorId: string }[] } }>(response)
      .resource.grants;
    const persons = grants.filter((g) => g.actorType === 'PERSON').map((g) => g.actorId);
    expect(persons.length).toBeGreaterThan(0);
    expect(grants.some((g) => g.actorType === 'INTEGRATION')).toBe(true);
    const events = await eventsOf(response.headers.get('x-request-id'));
    expect(events.map((e) => e.data_subject).sort()).toEqual([...persons].sort());
    expect(events.every((e) => e.payload.resourceType === 'Grant' && e.legal_basis === ADMINISTRATION)).toBe(
      true,
    );
  });

  it('refuses and records a read through a grant without a legal basis, and allows it once the grant has one', async () => {
    const grant = (legalBasis: string | null) =>
      platform.graphql(
        `mutation($legalBasis: String) { grantPrivilege(resourceId: "${DEMO_RESOURCES.fjordvikOppvekst}",
           actorType: PERSON, actorId: "${DEMO_PERSONS.per.pid}", privilege: "SKOLE.LES", legalBasis: $legalBasis)
           { id legalBasis } }`,
        { legalBasis },
        kari,
      );
    const first = dataOf<{ grantPrivilege: { id: string; legalBasis: string | null } }>(await grant(null));
    expect(first.grantPrivilege.legalBasis).toBeNull();

    const refused = await platform.graphql(`{ document(id: "${SCHOOL_DOCUMENT}") { id title } }`, {}, per);
    // The title is nullable (a deleted document has none): refused, it is null beside the id the rule allows.
    expect(refused.body.data).toEqual({ document: { id: SCHOOL_DOCUMENT, title: null } });
    expect(refused.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['document', 'title'], 'FORBIDDEN'],
    ]);
    expect(await eventsOf(refused.headers.get('x-request-id'))).toMatchObject([
      {
        action: 'PERSONAL_DATA_REFUSED',
        actor_id: DEMO_PERSONS.per.pid,
        data_subject: DEMO_PERSONS.ola.pid,
        legal_basis: null,
        orgnr: FJ,
        payload: {
          resourceType: 'Document',
          resourceId: SCHOOL_DOCUMENT,
          fields: ['title'],
          reason: 'LEGAL_BASIS_MISSING',
        },
      },
    ]);

    // Recorded once, as the refusal of a read of Ola's data, not again as a refused field.
    const otherRefusals = await platform.db.query(
      `select 1 from audit.event where request_id = $1 and action = 'FIELD_REFUSED'`,
      [refused.headers.get('x-request-id')],
    );
    expect(otherRefusals).toEqual([]);

    await platform.graphql(`mutation { revokePrivilege(grantId: "${first.grantPrivilege.id}") }`, {}, kari);
    dataOf(await grant('opplæringslova § 15-1'));
    const allowed = await platform.graphql(`{ document(id: "${SCHOOL_DOCUMENT}") { title } }`, {}, per);
    expect(dataOf(allowed)).toEqual({ document: { title: 'Skoleplass for Ola' } });
    expect(await eventsOf(allowed.headers.get('x-request-id'))).toMatchObject([
      {
        action: 'PERSONAL_DATA_READ',
        data_subject: DEMO_PERSONS.ola.pid,
        legal_basis: 'opplæringslova § 15-1',
      },
    ]);
  });

  it('answers no personal data, with AUDIT_UNAVAILABLE and the request id, when the events cannot be stored', async () => {
    await platform.db.query('alter function audit.append_events rename to append_events_unavailable');
    try {
      const response = await platform.graphql(
        `{ document(id: "${DEMO_DOCUMENTS.kindergartenDecision}") { id exposedTo { value } } }`,
        {},
        kari,
      );
      const text = JSON.stringify(response.body);
      expect(text).not.toContain(DEMO_PERSONS.ola.pid);
      expect(response.body.errors?.map((e) => e.extensions?.code)).toContain('AUDIT_UNAVAILABLE');
      expect(response.body.errors?.[0]?.extensions?.requestId).toBe(response.headers.get('x-request-id'));
      expect(response.status).toBeLessThan(500);
      expect(await eventsOf(response.headers.get('x-request-id'))).toEqual([]);
    } finally {
      await platform.db.query('alter function audit.append_events_unavailable rename to append_events');
    }
    // Nothing of the failure stays behind: the next read is answered and recorded.
    const after = await platform.graphql(
      `{ document(id: "${DEMO_DOCUMENTS.kindergartenDecision}") { exposedTo { value } } }`,
      {},
      kari,
    );
    expect(dataOf(after)).toMatchObject({ document: { exposedTo: [{ value: DEMO_PERSONS.ola.pid }] } });
    expect(await eventsOf(after.headers.get('x-request-id'))).toHaveLength(1);
  });
});
