// The authorization matrix's rows for the encrypted document store (issue #11): a person's own documents and storage
// preference, an account's documents by correlation id, starting uploads and downloads, deleting, and opting out of
// and back in to storage. The title and the content are for those a document is exposed to; the uploader, the
// account's uploaders (DOKUMENTLAGER.UPLOAD) and the organisation's administrators see metadata only.
//
// Documents that a row changes are put in place with SQL for each attempt, as the case system would have uploaded
// them (stored, with exposures and a data key of dummy bytes): uploading content goes through the gateway's content
// route, which these rows do not need.
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { DEMO_DOCUMENTS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import type { TestPlatform } from '../support/platform.ts';
import {
  CASE_SYSTEM,
  everyone,
  expectPresence,
  FJ,
  freshPid,
  NOBODY,
  PERSON_BEHIND,
  type Actor,
  type Outcome,
  type Row,
  type World,
} from './matrix-world.ts';

const ACCOUNT = DEMO_RESOURCES.fjordvikDocuments;

/** Every person caller: Ola, Liv acting for the vendor, and the persons who hold grants or none. */
const PERSONS: Record<Actor, Outcome> = {
  ...NOBODY,
  citizen: 'allow',
  actsForWithRole: 'allow',
  orgAdmin: 'allow',
  serviceAdmin: 'allow',
  narrowPrivilege: 'allow',
  otherOrgAdmin: 'allow',
  platformOperator: 'allow',
  auditReader: 'allow',
};

/** Those who see the metadata of what Fjordvik's document account holds: its uploader (the case system, which holds
 * DOKUMENTLAGER.UPLOAD there) and the organisation's administrator. */
const ACCOUNT_VIEWERS: Record<Actor, Outcome> = {
  ...NOBODY,
  orgAdmin: 'allow',
  integrationWithGrant: 'allow',
};

/** A document the case system uploaded to Fjordvik's account, stored, exposed to `pid`, with a data key of dummy
 * bytes (nothing here reads the content). */
async function storedDocument(
  world: World,
  pid: string,
  correlationId: string | null = null,
): Promise<string> {
  const [row] = await world.platform.db.query<{ id: string }>(
    `insert into documents.document (orgnr, title, mime_type, size_bytes, security_level, account_id, correlation_id,
       uploader_type, uploader_id)
     values ($1, 'Matrisedokument', 'application/pdf', 100, 3, $2, $3, 'INTEGRATION', $4) returning id`,
    [FJ, ACCOUNT, correlationId, CASE_SYSTEM],
  );
  const id = row!.id;
  await world.platform.db.query(
    `insert into documents.exposure (document_id, kind, value) values ($1, 'PERSON', $2)`,
    [id, pid],
  );
  await world.platform.db.query(
    `insert into documents.data_key (document_id, data_key_id, kek_id, kek_version, wrapped)
     values ($1, $2, 'matrise', 1, $3)`,
    [id, randomUUID(), randomBytes(40)],
  );
  return id;
}

/** The document the correlation-id rows look up: put in place once per platform, before the first row asks. */
const correlated = new WeakMap<TestPlatform, Promise<{ id: string; correlationId: string }>>();
function correlatedDocument(world: World): Promise<{ id: string; correlationId: string }> {
  let done = correlated.get(world.platform);
  if (!done) {
    const correlationId = randomUUID();
    done = storedDocument(world, freshPid(), correlationId).then((id) => ({ id, correlationId }));
    correlated.set(world.platform, done);
  }
  return done;
}

const linksFor = async (world: World, documentId: string, purpose: 'UPLOAD' | 'DOWNLOAD') =>
  (
    await world.platform.db.query(
      'select 1 from documents.content_link where document_id = $1 and purpose = $2',
      [documentId, purpose],
    )
  ).length;

const downloadRow = (name: string, documentId: string, outcomes: Record<Actor, Outcome>): Row => ({
  name,
  query: `mutation Download($id: ID!) { startDocumentDownload(id: $id) { documentId path expiresAt } }`,
  outcomes,
  // A link is issued exactly when the answer is 'allow'.
  attempt: async (world, actor) => {
    const before = await linksFor(world, documentId, 'DOWNLOAD');
    return {
      variables: { id: documentId },
      after: async (outcome) => {
        const issued = (await linksFor(world, documentId, 'DOWNLOAD')) - before;
        expect(issued, `${actor}: download link issued`).toBe(outcome === 'allow' ? 1 : 0);
      },
    };
  },
});

/** The rows of a person's documents kept for them: what a row that opts them out changes, to be put back after. */
interface KeptDocuments {
  documents: Record<string, unknown>[];
  exposures: Record<string, unknown>[];
  keys: Record<string, unknown>[];
}

async function documentsKeptFor(world: World, pid: string): Promise<KeptDocuments> {
  const db = world.platform.db;
  const ids = `select document_id from documents.exposure where kind = 'PERSON' and value = $1`;
  return {
    documents: await db.query(
      `select id, state, title, deleted_at, deleted_by from documents.document where id in (${ids})`,
      [pid],
    ),
    exposures: await db.query(`select * from documents.exposure where document_id in (${ids})`, [pid]),
    keys: await db.query(`select * from documents.data_key where document_id in (${ids})`, [pid]),
  };
}

/** Puts a person's documents back as they were: other rows read the citizen's seeded documents. */
async function restoreDocuments(world: World, kept: KeptDocuments): Promise<void> {
  const db = world.platform.db;
  for (const d of kept.documents) {
    await db.query(
      `update documents.document set state = $2, title = $3, deleted_at = $4, deleted_by = $5 where id = $1`,
      [d.id, d.state, d.title, d.deleted_at, d.deleted_by],
    );
  }
  for (const e of kept.exposures) {
    await db.query(
      `insert into documents.exposure (document_id, kind, value) values ($1, $2, $3) on conflict do nothing`,
      [e.document_id, e.kind, e.value],
    );
  }
  for (const k of kept.keys) {
    await db.query(
      `insert into documents.data_key (document_id, data_key_id, kek_id, kek_version, wrapped, created_at, rewrapped_at)
       values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
      [k.document_id, k.data_key_id, k.kek_id, k.kek_version, k.wrapped, k.created_at, k.rewrapped_at],
    );
  }
}

const OPTED_OUT = 'select 1 from documents.storage_opt_out where pid = $1';
const STILL_STORED = `select 1 from documents.document where id = $1 and state = 'STORED'`;
const DELETED_BY = `select 1 from documents.document
  where id = $1 and state = 'DELETED' and deleted_by = $2 and title is null`;
const DATA_KEY = 'select 1 from documents.data_key where document_id = $1';
const STORED_FOR_PERSON = `select d.id from documents.document d
  join documents.exposure e on e.document_id = d.id and e.kind = 'PERSON' and e.value = $1
  where d.state = 'STORED'`;

export const DOCUMENT_ROWS: Row[] = [
  // Queries.
  {
    // Ola has documents; every other person has none (an empty list); an integration is no person, even one calling
    // with Ola's token.
    name: 'my documents',
    query: '{ myDocuments { id title } }',
    outcomes: {
      ...NOBODY,
      citizen: 'allow',
      actsForWithRole: 'hidden',
      orgAdmin: 'hidden',
      serviceAdmin: 'hidden',
      narrowPrivilege: 'hidden',
      otherOrgAdmin: 'hidden',
      platformOperator: 'hidden',
      auditReader: 'hidden',
    },
  },
  {
    name: 'my document storage preference',
    query: '{ myDocumentStorage { optedOut } }',
    outcomes: PERSONS,
  },
  {
    name: "a document's metadata, for those it is exposed to and the organisation's administrator",
    query: `{ document(id: "${DEMO_DOCUMENTS.kindergartenDecision}") { id sizeBytes securityLevel exposedTo { kind } } }`,
    outcomes: { ...everyone('hidden'), actsForWithoutRole: 'deny', citizen: 'allow', orgAdmin: 'allow' },
  },
  {
    name: 'the metadata of a document exposed to an integration',
    query: `{ document(id: "${DEMO_DOCUMENTS.caseFile}") { id readAt deletedBy organization { name } } }`,
    outcomes: {
      ...everyone('hidden'),
      actsForWithoutRole: 'deny',
      orgAdmin: 'allow',
      integrationWithGrant: 'allow',
    },
  },
  {
    name: "an account's documents by correlation id (metadata)",
    query: `query ByCorrelation($accountId: ID!, $correlationId: ID!) {
      documentsByCorrelationId(accountId: $accountId, correlationId: $correlationId) { id sizeBytes readAt deletedBy }
    }`,
    outcomes: ACCOUNT_VIEWERS,
    // Exactly the document with that correlation id.
    attempt: async (world, actor) => {
      const { id, correlationId } = await correlatedDocument(world);
      return {
        variables: { accountId: ACCOUNT, correlationId },
        after: (outcome, response) => {
          if (outcome !== 'allow') return;
          const listed = response.body.data?.documentsByCorrelationId as { id: string }[];
          expect(
            listed.map((d) => d.id),
            `${actor}: documents listed`,
          ).toEqual([id]);
        },
      };
    },
  },
  {
    // The uploader and the administrator see that it was delivered, never its title.
    name: "the titles of an account's documents by correlation id",
    query: `query ByCorrelation($accountId: ID!, $correlationId: ID!) {
      documentsByCorrelationId(accountId: $accountId, correlationId: $correlationId) { title }
    }`,
    outcomes: NOBODY,
    attempt: async (world) => ({
      variables: { accountId: ACCOUNT, correlationId: (await correlatedDocument(world)).correlationId },
    }),
  },

  // Mutations.
  {
    // Needs DOKUMENTLAGER.UPLOAD on the account: the case system holds it; Fjordvik's administrator holds ADMIN on
    // the root, which holds every privilege beneath.
    name: "starting an upload to Fjordvik's document account",
    query: `mutation Upload($input: StartDocumentUploadInput!) {
      startDocumentUpload(input: $input) { documentId path expiresAt }
    }`,
    outcomes: ACCOUNT_VIEWERS,
    attempt: (world, actor) => {
      const title = `Matrise ${actor}`;
      return Promise.resolve({
        variables: {
          input: {
            accountId: ACCOUNT,
            title,
            mimeType: 'application/pdf',
            securityLevel: 3,
            exposedTo: [{ kind: 'PERSON', value: freshPid() }],
          },
        },
        after: (outcome) =>
          expectPresence(
            world,
            `${actor}: upload link issued`,
            outcome === 'allow',
            `select 1 from documents.content_link where purpose = 'UPLOAD' and pending->>'title' = $1`,
            [title],
          ),
      });
    },
  },
  downloadRow('starting a download of a document exposed to a citizen', DEMO_DOCUMENTS.kindergartenDecision, {
    // The administrator sees the metadata, never the content.
    ...NOBODY,
    citizen: 'allow',
  }),
  downloadRow('starting a download of a document exposed to an integration', DEMO_DOCUMENTS.caseFile, {
    ...NOBODY,
    integrationWithGrant: 'allow',
  }),
  downloadRow(
    'starting a download of a level-4 document exposed to a citizen',
    DEMO_DOCUMENTS.socialAssistance,
    {
      // Ola, at substantial, is asked to log in at high. The administrator never has the content, at any level.
      ...NOBODY,
      citizen: 'stepUp',
    },
  ),
  {
    // By the person it is exposed to (their copy), or by the account's uploaders: the case system, and the
    // administrator through ADMIN on the root. The content key goes at once; the metadata stays, marked deleted.
    name: 'deleting a document exposed to a citizen',
    query: `mutation Delete($id: ID!) { deleteDocument(id: $id) { id contentDestroyed } }`,
    outcomes: { ...NOBODY, citizen: 'allow', orgAdmin: 'allow', integrationWithGrant: 'allow' },
    attempt: async (world, actor) => {
      const id = await storedDocument(world, PERSON_BEHIND.citizen!);
      return {
        variables: { id },
        after: async (outcome) => {
          const allowed = outcome === 'allow';
          await expectPresence(world, `${actor}: document still stored`, !allowed, STILL_STORED, [id]);
          await expectPresence(world, `${actor}: data key still there`, !allowed, DATA_KEY, [id]);
          // The metadata stays, without the title, saying who deleted it.
          await expectPresence(world, `${actor}: marked deleted`, allowed, DELETED_BY, [
            id,
            actor === 'citizen' ? 'RECIPIENT' : 'UPLOADER',
          ]);
          // Not left for later rows to find in Ola's documents.
          await world.platform.db.query('delete from documents.document where id = $1', [id]);
        },
      };
    },
  },
  {
    // A person's own choice; nobody else's. Opting out deletes the person's documents, so the citizen's (seeded, read
    // by other rows) are put back afterwards, and every person is opted back in.
    name: 'opting out of document storage',
    query: 'mutation { optOutOfDocumentStorage { optedOut } }',
    outcomes: PERSONS,
    attempt: async (world, actor) => {
      const pid = PERSON_BEHIND[actor];
      // One document of the caller's own, besides whatever they already have, to see that opting out deletes it.
      const own = pid ? await storedDocument(world, pid) : null;
      const kept = pid ? await documentsKeptFor(world, pid) : null;
      const optOuts = async () =>
        (await world.platform.db.query('select pid from documents.storage_opt_out')).length;
      const before = await optOuts();
      return {
        after: async (outcome) => {
          const allowed = outcome === 'allow';
          try {
            expect((await optOuts()) - before, `${actor}: persons opted out`).toBe(allowed ? 1 : 0);
            if (!pid) return;
            await expectPresence(world, `${actor}: opted out`, allowed, OPTED_OUT, [pid]);
            await expectPresence(world, `${actor}: own document kept`, !allowed, STILL_STORED, [own]);
            await expectPresence(world, `${actor}: own document deleted`, allowed, DELETED_BY, [
              own,
              'OPT_OUT',
            ]);
            // Nothing kept for them stays stored once they opted out, whatever its security level.
            if (allowed)
              expect(
                (await world.platform.db.query<{ id: string }>(STORED_FOR_PERSON, [pid])).map((d) => d.id),
                `${actor}: documents still stored after opting out`,
              ).toEqual([]);
          } finally {
            // Put back even when a check failed: other rows read the citizen's documents.
            if (pid) {
              await world.platform.db.query('delete from documents.storage_opt_out where pid = $1', [pid]);
              await restoreDocuments(world, kept!);
              await world.platform.db.query('delete from documents.document where id = $1', [own]);
            }
          }
        },
      };
    },
  },
  {
    name: 'opting back in to document storage',
    query: 'mutation { optInToDocumentStorage { optedOut } }',
    outcomes: PERSONS,
    // The person behind the caller has opted out (put in place directly: opting out deletes documents).
    attempt: async (world, actor) => {
      const pid = PERSON_BEHIND[actor];
      if (pid)
        await world.platform.db.query(
          'insert into documents.storage_opt_out (pid) values ($1) on conflict do nothing',
          [pid],
        );
      return {
        after: async (outcome) => {
          if (!pid) return;
          await expectPresence(world, `${actor}: still opted out`, outcome !== 'allow', OPTED_OUT, [pid]);
          await world.platform.db.query('delete from documents.storage_opt_out where pid = $1', [pid]);
        },
      };
    },
  },
];
