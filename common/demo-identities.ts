// Synthetic demo identities shared by the seeds, the local stand-ins and the tests. Every fødselsnummer here is
// synthetic (month + 80, valid check digits) and every organisation number is made up with a valid check digit.

export const DEMO_ORGS = {
  fjordvik: { orgnr: '910000004', name: 'Fjordvik kommune' },
  heiberg: { orgnr: '921000006', name: 'Heiberg kommune' },
  vendor: { orgnr: '933000001', name: 'Saksbehandling Leverandør AS' },
} as const;

export const DEMO_PERSONS = {
  /** Administrator of Fjordvik kommune (ADMIN on its root resource). */
  kari: { pid: '12838512311', name: 'Kari Testadmin' },
  /** A citizen with documents exposed to her. */
  ola: { pid: '01919045600', name: 'Ola Innbygger' },
  /** Service administrator of Fjordvik's SvarUt account. */
  siri: { pid: '24867234558', name: 'Siri Tjenesteforvalter' },
  /** Caseworker with one narrow privilege in Fjordvik. */
  per: { pid: '30816423437', name: 'Per Saksbehandler' },
  /** Holds an Altinn role for the vendor organisation. */
  liv: { pid: '07899941300', name: 'Liv Daglig Leder' },
  /** Administrator of Heiberg kommune. */
  hans: { pid: '15825831115', name: 'Hans Heibergadmin' },
  /** Platform operator: creates organisations (and their first administrator); holds no access inside any. */
  operator: { pid: '14837824207', name: 'Olga Plattformdrift' },
  /** Reads Fjordvik's audit log once its administrator grants her AUDIT.READ (the audit-reading tests do); holds
   * nothing in the demo data. */
  aud: { pid: '03837710110', name: 'Aud Revisor' },
} as const;

export const DEMO_INTEGRATIONS = {
  /** The vendor's case system, created by Fjordvik, bound to the vendor's Maskinporten identity. */
  fjordvikCaseSystem: {
    id: '5d1f3c2e-8a4b-4c6d-9e0f-1a2b3c4d5e6f',
    name: 'Saksystem for Fjordvik',
    owner: DEMO_ORGS.fjordvik.orgnr,
    authorized: DEMO_ORGS.vendor.orgnr,
  },
  /** A global integration, visible to every organisation, granted nowhere. */
  innsyn: {
    id: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
    name: 'SvarUt til Innsyn',
    owner: DEMO_ORGS.heiberg.orgnr,
    authorized: DEMO_ORGS.heiberg.orgnr,
  },
} as const;

export const DEMO_RESOURCES = {
  fjordvikRoot: 'a0000000-0000-4000-8000-000000000001',
  fjordvikSvarUt: 'a0000000-0000-4000-8000-000000000002',
  fjordvikOppvekst: 'a0000000-0000-4000-8000-000000000003',
  /** Fjordvik's document store account (Dokumentlager-konto): its case system uploads letters to citizens here. */
  fjordvikDocuments: 'a0000000-0000-4000-8000-000000000004',
  heibergRoot: 'a0000000-0000-4000-8000-000000000011',
  vendorRoot: 'a0000000-0000-4000-8000-000000000021',
} as const;

export const DEMO_DOCUMENTS = {
  kindergartenDecision: 'd0000000-0000-4000-8000-000000000001',
  buildingPermit: 'd0000000-0000-4000-8000-000000000002',
  invoice: 'd0000000-0000-4000-8000-000000000003',
  /** Exposed to the vendor's case system (an integration reads what is exposed to it). */
  caseFile: 'd0000000-0000-4000-8000-000000000004',
  /** Security level 4, exposed to Ola: he sees it only after an idporten-loa-high login. */
  socialAssistance: 'd0000000-0000-4000-8000-000000000005',
} as const;
