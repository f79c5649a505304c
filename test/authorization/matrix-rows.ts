// The authorization matrix's rows (issue #4): every root query and mutation of the API, each with the expected answer
// for every kind of caller (matrix-world.ts), and for rows that change state, what each attempt prepares and checks.
// The runner is matrix.test.ts.
import {
  DEMO_DOCUMENTS,
  DEMO_INTEGRATIONS,
  DEMO_PERSONS,
  DEMO_RESOURCES,
} from '../../common/demo-identities.ts';
import { expect } from 'vitest';
import { operationId } from '../../common/operation-id.ts';
import { runCheckpoint } from '../../subgraphs/audit/checkpointer.ts';
import { auditKeyOf } from '../../subgraphs/audit/signing-key.ts';
import {
  appointRow,
  asOrgAdmin,
  CASE_SYSTEM,
  CREATE_INTEGRATION,
  createResourceRow,
  everyone,
  expectPresence,
  FJ,
  FJORDVIK_LOG_READERS,
  fjordvikIntegration,
  freshOrgnr,
  freshPid,
  grantRow,
  HEIBERG,
  HEIBERG_ADMIN_ONLY,
  MEMBER_OF,
  NOBODY,
  OPPVEKST,
  ORG_ADMIN_ONLY,
  passwordHashOf,
  removeAdministratorRow,
  revokeRow,
  ROOT,
  type Actor,
  type Outcome,
  type Row,
  SEED_EVENT,
  SVARUT,
  SVARUT_ADMINS,
  TYPE_GRANT_ROW,
} from './matrix-world.ts';
import { AUDIT_READING_ROWS } from './matrix-audit-rows.ts';
import { DOCUMENT_ROWS } from './matrix-document-rows.ts';

/** Those who see Fjordvik's whole resource tree: the persons who hold a grant there. */
const TREE_VIEWERS: Record<Actor, Outcome> = {
  ...NOBODY,
  orgAdmin: 'allow',
  serviceAdmin: 'allow',
  narrowPrivilege: 'allow',
  auditReader: 'allow',
};

/** Operation → the outcome for each actor. */
export const MATRIX: Row[] = [
  // Queries.
  {
    name: 'who am I',
    query: '{ me { kind } }',
    outcomes: { ...everyone('allow'), actsForWithoutRole: 'deny' },
  },
  {
    name: 'my organisations',
    query: '{ organizations { orgnr name } }',
    outcomes: {
      citizen: 'hidden',
      actsForWithRole: 'hidden',
      actsForWithoutRole: 'deny',
      orgAdmin: 'allow',
      serviceAdmin: 'allow',
      narrowPrivilege: 'allow',
      integrationWithGrant: 'allow',
      integrationWithoutGrant: 'hidden',
      integrationRevoked: 'hidden',
      otherOrgAdmin: 'allow',
      platformOperator: 'hidden',
      auditReader: 'allow',
      integrationForPerson: 'hidden',
    },
    // Exactly the organisations the caller holds a grant in, and no other.
    attempt: (_world, actor) =>
      Promise.resolve({
        after: (outcome, response) => {
          if (outcome === 'deny') return;
          const listed = (response.body.data?.organizations as { orgnr: string }[]).map((o) => o.orgnr);
          expect(listed, `${actor}: organisations listed`).toEqual(MEMBER_OF[actor] ?? []);
        },
      }),
  },
  {
    name: 'organisation name',
    query: `{ organization(orgnr: "${FJ}") { name } }`,
    outcomes: { ...everyone('allow'), actsForWithoutRole: 'deny' },
  },
  // The tree: persons who hold a grant in the organisation. An integration sees only the resources it holds a grant
  // on and what is beneath them (issue #9 item 10; the README says so too).
  {
    name: 'resource tree',
    query: `{ organization(orgnr: "${FJ}") { resources { type name } } }`,
    outcomes: TREE_VIEWERS,
  },
  {
    name: "the organisation's root resource",
    query: `{ organization(orgnr: "${FJ}") { rootResource { name children { name } } } }`,
    outcomes: TREE_VIEWERS,
  },
  {
    name: 'the SvarUt account an integration holds a grant on, and beneath it',
    query: `{ resource(id: "${SVARUT}") { name type children { name } descendants { name } } }`,
    outcomes: { ...TREE_VIEWERS, integrationWithGrant: 'allow' },
  },
  {
    // Above what the integration was granted, the parent is null, as for the root.
    name: "the SvarUt account's parent",
    query: `{ resource(id: "${SVARUT}") { parent { name } } }`,
    outcomes: { ...TREE_VIEWERS, integrationWithGrant: 'hidden' },
  },
  {
    name: 'a department beside what an integration holds a grant on',
    query: `{ resource(id: "${OPPVEKST}") { name } }`,
    outcomes: TREE_VIEWERS,
  },
  ...(
    ['integrations { name }', 'integrationGrants { privilege }', 'documents { id sizeBytes }'] as const
  ).map((selection) => ({
    name: `organisation's ${selection.split(' ')[0]}`,
    query: `{ organization(orgnr: "${FJ}") { ${selection} } }`,
    outcomes: ORG_ADMIN_ONLY,
  })),
  {
    // The administrator sees the documents' metadata, never their titles (issue #11 item 5).
    name: "the titles of the organisation's documents",
    query: `{ organization(orgnr: "${FJ}") { documents { title } } }`,
    outcomes: NOBODY,
  },
  {
    name: "organisation's auditEvents",
    query: `{ organization(orgnr: "${FJ}") { auditEvents { action } } }`,
    outcomes: FJORDVIK_LOG_READERS,
  },
  {
    name: "the organisation's root by id",
    query: `{ resource(id: "${ROOT}") { name } }`,
    outcomes: TREE_VIEWERS,
  },
  {
    name: "one of another organisation's resources",
    query: `{ resource(id: "${DEMO_RESOURCES.heibergRoot}") { name } }`,
    outcomes: HEIBERG_ADMIN_ONLY,
  },
  {
    name: 'grants on the root resource',
    query: `{ resource(id: "${ROOT}") { grants { actorId privilege } } }`,
    outcomes: ORG_ADMIN_ONLY,
  },
  {
    name: 'grants on the SvarUt account',
    query: `{ resource(id: "${SVARUT}") { grants { privilege } } }`,
    outcomes: SVARUT_ADMINS,
  },
  {
    name: 'who may send from the SvarUt account',
    query: `{ whoMay(privilege: "SVARUT.SEND", resourceId: "${SVARUT}") { actorType privilege } }`,
    outcomes: SVARUT_ADMINS,
  },
  {
    name: 'who may read in the whole organisation',
    query: `{ whoMay(privilege: "ARKIV.LES", resourceId: "${ROOT}") { actorType privilege } }`,
    outcomes: ORG_ADMIN_ONLY,
  },
  {
    name: 'what the caseworker may do in Fjordvik',
    query: `{ whatMay(actorType: PERSON, actorId: "${DEMO_PERSONS.per.pid}", orgnr: "${FJ}") { privilege resource { name } } }`,
    outcomes: { ...NOBODY, orgAdmin: 'allow', narrowPrivilege: 'allow' },
  },
  {
    // Heiberg's administrator may ask about anyone in Heiberg, and learns nothing of what they hold in Fjordvik.
    name: 'what the caseworker may do in Heiberg',
    query: `{ whatMay(actorType: PERSON, actorId: "${DEMO_PERSONS.per.pid}", orgnr: "${HEIBERG}") { privilege resource { name } } }`,
    outcomes: { ...NOBODY, narrowPrivilege: 'hidden', otherOrgAdmin: 'hidden' },
  },
  {
    name: "what Fjordvik's case system may do there",
    query: `{ whatMay(actorType: INTEGRATION, actorId: "${CASE_SYSTEM}", orgnr: "${FJ}") { privilege resource { name } } }`,
    outcomes: { ...NOBODY, orgAdmin: 'allow', integrationWithGrant: 'allow' },
  },
  {
    name: 'a document exposed to a citizen',
    // The title alone: the administrator sees the metadata (matrix-document-rows.ts) and no title — a refused title
    // is null (it is nullable, deleted documents have none) beside whatever else was asked.
    query: `{ document(id: "${DEMO_DOCUMENTS.kindergartenDecision}") { title } }`,
    outcomes: { ...everyone('hidden'), actsForWithoutRole: 'deny', citizen: 'allow', orgAdmin: 'deny' },
  },
  {
    // Security level 4: the persons here log in at substantial, so those who may see it are asked to step up; an
    // integration reads what is exposed to it (issue #9 item 7).
    name: 'a level-4 document exposed to an organisation and to a privilege',
    query: `{ document(id: "${DEMO_DOCUMENTS.buildingPermit}") { title } }`,
    outcomes: {
      citizen: 'hidden',
      actsForWithRole: 'stepUp',
      actsForWithoutRole: 'deny',
      orgAdmin: 'stepUp',
      serviceAdmin: 'stepUp',
      narrowPrivilege: 'hidden',
      integrationWithGrant: 'allow',
      integrationWithoutGrant: 'hidden',
      integrationRevoked: 'hidden',
      otherOrgAdmin: 'hidden',
      platformOperator: 'hidden',
      auditReader: 'hidden',
      integrationForPerson: 'hidden',
    },
  },
  {
    name: 'a level-4 document exposed to a citizen',
    query: `{ document(id: "${DEMO_DOCUMENTS.socialAssistance}") { title exposedTo { kind } } }`,
    outcomes: { ...everyone('hidden'), actsForWithoutRole: 'deny', citizen: 'stepUp', orgAdmin: 'stepUp' },
  },
  {
    name: 'a document exposed to an integration',
    query: `{ document(id: "${DEMO_DOCUMENTS.caseFile}") { title } }`,
    outcomes: {
      ...everyone('hidden'),
      actsForWithoutRole: 'deny',
      orgAdmin: 'deny',
      integrationWithGrant: 'allow',
    },
  },
  {
    name: 'an integration',
    query: `{ integration(id: "${CASE_SYSTEM}") { name enabled } }`,
    outcomes: {
      ...everyone('hidden'),
      actsForWithoutRole: 'deny',
      orgAdmin: 'allow',
      integrationWithGrant: 'allow',
    },
  },
  {
    name: 'a global integration',
    query: `{ integration(id: "${DEMO_INTEGRATIONS.innsyn.id}") { name global } }`,
    outcomes: {
      ...everyone('hidden'),
      actsForWithoutRole: 'deny',
      orgAdmin: 'allow',
      otherOrgAdmin: 'allow',
    },
  },
  {
    name: 'an audit event',
    query: `{ auditEvent(id: "${SEED_EVENT}") { action dataSubject } }`,
    outcomes: { ...everyone('hidden'), actsForWithoutRole: 'deny', orgAdmin: 'allow', auditReader: 'allow' },
  },
  {
    name: "an audit event's inclusion proof",
    query: `{ auditEventProof(id: "${SEED_EVENT}") { leafIndex checkpoint { treeSize } } }`,
    outcomes: { ...everyone('hidden'), actsForWithoutRole: 'deny', orgAdmin: 'allow', auditReader: 'allow' },
    // The event is in a checkpoint before anyone asks, whenever the checkpointer's timer last ran.
    attempt: async (world) => {
      const { auditLog } = world.platform.config;
      await runCheckpoint(world.platform.db, {
        key: await auditKeyOf(auditLog),
        witnessFile: auditLog.witnessFile,
      });
      return {};
    },
  },
  {
    name: "the audit log's public key",
    query: '{ auditLogKey { keyId } }',
    outcomes: { ...everyone('allow'), actsForWithoutRole: 'deny' },
  },
  {
    name: 'verifying the whole audit log',
    query: '{ auditLogVerification { ok } }',
    outcomes: { ...NOBODY, platformOperator: 'allow' },
  },
  ...AUDIT_READING_ROWS,

  // Integrations: only an administrator of the owning organisation manages them; an integration never does.
  {
    name: 'creating an integration for Fjordvik',
    query: CREATE_INTEGRATION,
    outcomes: ORG_ADMIN_ONLY,
    attempt: (world, actor) => {
      const name = `Matrise ${actor}`;
      return Promise.resolve({
        variables: { owner: FJ, name },
        after: (outcome) =>
          expectPresence(
            world,
            `${actor}: integration created`,
            outcome === 'allow',
            'select 1 from integrations.integration where owner_orgnr = $1 and name = $2',
            [FJ, name],
          ),
      });
    },
  },
  {
    name: "rotating the password of one of Fjordvik's integrations",
    query: `mutation Rotate($id: ID!) { rotateIntegrationPassword(id: $id) { password integration { id } } }`,
    outcomes: ORG_ADMIN_ONLY,
    attempt: async (world, actor) => {
      const { id } = await fjordvikIntegration(world, `Rotasjon ${actor}`);
      const before = await passwordHashOf(world, id);
      return {
        variables: { id },
        after: async (outcome) => {
          const changed = (await passwordHashOf(world, id)) !== before;
          expect(changed, `${actor}: password replaced`).toBe(outcome === 'allow');
        },
      };
    },
  },
  {
    // Visible to every organisation's administrators; managed by its owner's only.
    name: "rotating the password of Heiberg's global integration",
    query: `mutation Rotate($id: ID!) { rotateIntegrationPassword(id: $id) { password integration { id } } }`,
    outcomes: HEIBERG_ADMIN_ONLY,
    attempt: async (world, actor) => {
      const id = DEMO_INTEGRATIONS.innsyn.id;
      const before = await passwordHashOf(world, id);
      return {
        variables: { id },
        after: async (outcome) => {
          const changed = (await passwordHashOf(world, id)) !== before;
          expect(changed, `${actor}: password replaced`).toBe(outcome === 'allow');
        },
      };
    },
  },
  {
    name: "disabling one of Fjordvik's integrations",
    query: `mutation Disable($id: ID!) { setIntegrationEnabled(id: $id, enabled: false) { id enabled } }`,
    outcomes: ORG_ADMIN_ONLY,
    attempt: async (world, actor) => {
      const { id } = await fjordvikIntegration(world, `Deaktivering ${actor}`);
      return {
        variables: { id },
        after: (outcome) =>
          expectPresence(
            world,
            `${actor}: integration still enabled`,
            outcome !== 'allow',
            'select 1 from integrations.integration where id = $1 and enabled',
            [id],
          ),
      };
    },
  },
  {
    // Trusted operations (issue #12): the owner's administrators register the list; the version says it changed.
    name: "registering trusted operations for one of Fjordvik's integrations",
    query: `mutation Register($id: ID!, $operations: [TrustedOperationInput!]!) {
      registerTrustedOperations(integrationId: $id, operations: $operations) { id operationsVersion }
    }`,
    outcomes: ORG_ADMIN_ONLY,
    attempt: async (world, actor) => {
      const { id } = await fjordvikIntegration(world, `Operasjoner ${actor}`);
      const body = '{ me { kind } }';
      return {
        variables: { id, operations: [{ sha256: operationId(body), body }] },
        after: (outcome) =>
          expectPresence(
            world,
            `${actor}: operation registered`,
            outcome === 'allow',
            'select 1 from integrations.trusted_operation where integration_id = $1',
            [id],
          ),
      };
    },
  },
  {
    name: "setting the operations mode of one of Fjordvik's integrations",
    query: `mutation Mode($id: ID!) { setIntegrationOperationsMode(id: $id, mode: ID_ONLY) { id operationsMode } }`,
    outcomes: ORG_ADMIN_ONLY,
    attempt: async (world, actor) => {
      const { id } = await fjordvikIntegration(world, `Modus ${actor}`);
      return {
        variables: { id },
        after: (outcome) =>
          expectPresence(
            world,
            `${actor}: mode changed`,
            outcome === 'allow',
            `select 1 from integrations.integration where id = $1 and operations_mode = 'id-only'`,
            [id],
          ),
      };
    },
  },

  // The privilege store's own API. Each attempt names a person who is no caller here, fresh for that attempt.
  {
    name: 'creating an organisation',
    query: `mutation CreateOrganization($orgnr: String!, $pid: String!) {
      createOrganization(orgnr: $orgnr, name: "Matrise kommune", administratorPid: $pid) { orgnr }
    }`,
    outcomes: { ...NOBODY, platformOperator: 'allow' },
    attempt: (world, actor) => {
      const orgnr = freshOrgnr();
      return Promise.resolve({
        variables: { orgnr, pid: freshPid() },
        after: (outcome) =>
          expectPresence(
            world,
            `${actor}: organisation created`,
            outcome === 'allow',
            'select 1 from organizations.organization where orgnr = $1',
            [orgnr],
          ),
      });
    },
  },
  createResourceRow('creating a department beneath a department', OPPVEKST, ORG_ADMIN_ONLY),
  createResourceRow('creating a resource beneath the SvarUt account', SVARUT, SVARUT_ADMINS),
  grantRow('granting a privilege on a department', OPPVEKST, ORG_ADMIN_ONLY),
  grantRow('granting a privilege on the SvarUt account', SVARUT, SVARUT_ADMINS),
  grantRow("granting a privilege on Heiberg's root", DEMO_RESOURCES.heibergRoot, HEIBERG_ADMIN_ONLY),
  revokeRow('revoking a grant on a department', OPPVEKST, ORG_ADMIN_ONLY),
  revokeRow('revoking a grant on the SvarUt account', SVARUT, SVARUT_ADMINS),
  {
    name: 'granting a privilege on every SvarUt account',
    query: `mutation TypeGrant($pid: String!) {
      grantTypePrivilege(orgnr: "${FJ}", resourceType: "SVARUT.KONTO", actorType: PERSON, actorId: $pid, privilege: "SVARUT.LES") { id privilege }
    }`,
    outcomes: ORG_ADMIN_ONLY,
    attempt: (world, actor) => {
      const pid = freshPid();
      return Promise.resolve({
        variables: { pid },
        after: (outcome) =>
          expectPresence(world, `${actor}: type grant made`, outcome === 'allow', TYPE_GRANT_ROW, [
            FJ,
            pid,
            'SVARUT.LES',
            'SVARUT.KONTO',
          ]),
      });
    },
  },
  {
    name: 'revoking a type grant',
    query: `mutation RevokeType($id: ID!) { revokeTypePrivilege(id: $id) }`,
    outcomes: ORG_ADMIN_ONLY,
    attempt: async (world, actor) => {
      const pid = freshPid();
      const { grantTypePrivilege } = await asOrgAdmin<{ grantTypePrivilege: { id: string } }>(
        world,
        `mutation TypeGrant($pid: String!) {
          grantTypePrivilege(orgnr: "${FJ}", resourceType: "SVARUT.KONTO", actorType: PERSON, actorId: $pid, privilege: "SVARUT.LES") { id }
        }`,
        { pid },
      );
      return {
        variables: { id: grantTypePrivilege.id },
        after: (outcome) =>
          expectPresence(world, `${actor}: type grant still there`, outcome !== 'allow', TYPE_GRANT_ROW, [
            FJ,
            pid,
            'SVARUT.LES',
            'SVARUT.KONTO',
          ]),
      };
    },
  },
  appointRow('appointing an administrator of the SvarUt account', SVARUT, SVARUT_ADMINS),
  appointRow('appointing an administrator of the whole organisation', ROOT, ORG_ADMIN_ONLY),
  removeAdministratorRow('removing an administrator of the SvarUt account', SVARUT, SVARUT_ADMINS),
  removeAdministratorRow('removing an administrator of the whole organisation', ROOT, ORG_ADMIN_ONLY),

  // The document store (issue #11).
  ...DOCUMENT_ROWS,
];
