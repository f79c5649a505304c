// The encrypted document store end to end (issue #11), through the gateway as its users reach it: the case system
// (an integration) uploads a letter for a citizen, the citizen lists, reads and deletes it; the municipality and the
// uploader see delivery only; links are single-use, single-purpose and bound to their caller; every exposure kind;
// level 4; opt-out; purge. Real platform, real crypto, real database.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import { DEMO_INTEGRATIONS, DEMO_ORGS, DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import { purgeDocuments } from '../../subgraphs/documents/purge.ts';
import { openDocumentResources } from '../../subgraphs/documents/resources.ts';
import { createLogger } from '../../common/logger.ts';
import { personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const ACCOUNT = DEMO_RESOURCES.fjordvikDocuments;
const OLA = DEMO_PERSONS.ola.pid;

const START_UPLOAD = `mutation ($input: StartDocumentUploadInput!) {
  startDocumentUpload(input: $input) { documentId path expiresAt } }`;
const START_DOWNLOAD = `mutation ($id: ID!) { startDocumentDownload(id: $id) { documentId path expiresAt } }`;
const DELIVERY = `query ($id: ID!) { document(id: $id) { id sizeBytes sha256 readAt deletedAt deletedBy } }`;

let platform: TestPlatform;
let caseSystem: Record<string, string>;
const bearer: Record<string, Record<string, string>> = {};

function letter(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed * 7) & 0xff;
  return out;
}

function input(overrides: Record<string, unknown> = {}) {
  return {
    accountId: ACCOUNT,
    title: 'Vedtak om skoleskyss',
    mimeType: 'application/pdf',
    securityLevel: 3,
    exposedTo: [{ kind: 'PERSON', value: OLA }],
    correlationId: randomUUID(),
    ...overrides,
  };
}

async function startUpload(headers: Record<string, string>, overrides: Record<string, unknown> = {}) {
  const answer = await platform.graphql(START_UPLOAD, { input: input(overrides) }, headers);
  expect(answer.body.errors).toBeUndefined();
  return (answer.body.data as { startDocumentUpload: { documentId: string; path: string } })
    .startDocumentUpload;
}

async function put(path: string, headers: Record<string, string>, body: Buffer) {
  const response = await fetch(new URL(path, platform.gatewayUrl), {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function upload(content: Buffer, overrides: Record<string, unknown> = {}) {
  const { documentId, path } = await startUpload(caseSystem, overrides);
  const stored = await put(path, caseSystem, content);
  expect(stored.status).toBe(201);
  return documentId;
}

async function download(headers: Record<string, string>, id: string, extra: Record<string, string> = {}) {
  const link = await platform.graphql(START_DOWNLOAD, { id }, headers);
  if (link.body.errors)
    return { link: link.body.errors, status: 0, bytes: Buffer.alloc(0), headers: new Headers() };
  const { path } = (link.body.data as { startDocumentDownload: { path: string } }).startDocumentDownload;
  const response = await fetch(new URL(path, platform.gatewayUrl), { headers: { ...headers, ...extra } });
  return {
    link: undefined,
    path,
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

const codeOf = (errors: unknown) =>
  (errors as { extensions?: { code?: string } }[] | undefined)?.[0]?.extensions?.code;

async function personHeaders(pid: string, level: 'substantial' | 'high' = 'substantial', actFor?: string) {
  return {
    authorization: `Bearer ${await personAccessToken(platform, pid, level)}`,
    ...(actFor ? { 'fiks-act-for': actFor } : {}),
  };
}

async function resources() {
  return openDocumentResources(
    { documents: platform.config.documents },
    createLogger({ level: 'silent', name: 't' }),
  );
}

beforeAll(async () => {
  // The tests run the purge themselves; the platform's own round (a day away) never races them for its lock.
  platform = await startTestPlatform({ DOCUMENT_PURGE_INTERVAL_MS: '86400000' });
  caseSystem = await platform.asIntegration();
  bearer.ola = await personHeaders(OLA);
  bearer.olaHigh = await personHeaders(OLA, 'high');
  bearer.kari = await personHeaders(DEMO_PERSONS.kari.pid, 'high');
  bearer.per = await personHeaders(DEMO_PERSONS.per.pid, 'high');
}, 60_000);
afterAll(() => platform?.stop());

describe('a letter from the case system to a citizen', () => {
  const content = letter(200_000);
  let id: string;

  it('uploads through a link, answering the size and the SHA-256 of the content', async () => {
    const { documentId, path } = await startUpload(caseSystem);
    expect(path).toMatch(/^\/documents\/content\/[A-Za-z0-9_-]{43}$/);
    const stored = await put(path, caseSystem, content);
    expect(stored.status).toBe(201);
    expect(stored.body).toEqual({
      id: documentId,
      sizeBytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    id = documentId;
  });

  it('stores the content encrypted: the stored bytes are not the content and do not contain it', async () => {
    const stored = await readFile(`${platform.config.documents.contentDir}/${id}`);
    expect(stored.length).toBeGreaterThan(content.length);
    expect(stored.includes(content.subarray(1000, 1064))).toBe(false);
  });

  it('the citizen lists it with its title and reads it byte for byte', async () => {
    const mine = await platform.graphql('{ myDocuments { id title sizeBytes } }', {}, bearer.ola);
    const listed = (mine.body.data as { myDocuments: { id: string }[] }).myDocuments;
    expect(listed.find((d) => d.id === id)).toEqual({
      id,
      title: 'Vedtak om skoleskyss',
      sizeBytes: content.length,
    });
    const got = await download(bearer.ola!, id);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(content)).toBe(true);
    expect(got.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(got.headers.get('cache-control')).toBe('no-store');
  });

  it('the uploader sees that it was delivered and read, never its title or content', async () => {
    const delivery = await platform.graphql(DELIVERY, { id }, caseSystem);
    const document = (delivery.body.data as { document: Record<string, unknown> }).document;
    expect(document.readAt).not.toBeNull();
    expect(document.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    const title = await platform.graphql(
      'query ($id: ID!) { document(id: $id) { title } }',
      { id },
      caseSystem,
    );
    expect(codeOf(title.body.errors)).toBe('FORBIDDEN');
    const link = await platform.graphql(START_DOWNLOAD, { id }, caseSystem);
    expect(codeOf(link.body.errors)).toBe('FORBIDDEN');
  });

  it("the municipality's administrator sees delivery in the organisation's list, never the title or content", async () => {
    const list = await platform.graphql(
      'query ($orgnr: String!) { organization(orgnr: $orgnr) { documents { id readAt } } }',
      { orgnr: DEMO_ORGS.fjordvik.orgnr },
      bearer.kari,
    );
    const documents = (list.body.data as { organization: { documents: { id: string }[] } }).organization
      .documents;
    expect(documents.map((d) => d.id)).toContain(id);
    const title = await platform.graphql(
      'query ($id: ID!) { document(id: $id) { title } }',
      { id },
      bearer.kari,
    );
    expect(codeOf(title.body.errors)).toBe('FORBIDDEN');
    const link = await platform.graphql(START_DOWNLOAD, { id }, bearer.kari);
    expect(codeOf(link.body.errors)).toBe('FORBIDDEN');
  });

  it('serves a byte range as 206 with exactly those bytes', async () => {
    const got = await download(bearer.ola!, id, { range: 'bytes=65530-131080' });
    expect(got.status).toBe(206);
    expect(got.headers.get('content-range')).toBe(`bytes 65530-131080/${content.length}`);
    expect(got.bytes.equals(content.subarray(65530, 131081))).toBe(true);
  });

  it('records the upload and each read in the audit log, about the citizen', async () => {
    const events = await platform.db.query<{ action: string; data_subject: string }>(
      `select action, data_subject from audit.event where payload->>'documentId' = $1 order by id`,
      [id],
    );
    const actions = events.map((e) => e.action);
    expect(actions).toContain('DOCUMENT_UPLOADED');
    expect(actions.filter((a) => a === 'DOCUMENT_CONTENT_READ').length).toBeGreaterThanOrEqual(2);
    expect(events.every((e) => e.data_subject === OLA)).toBe(true);
  });
});

describe('content links', () => {
  let id: string;
  beforeAll(async () => {
    id = await upload(letter(1000, 2));
  });

  it('are single-use', async () => {
    const first = await download(bearer.ola!, id);
    expect(first.status).toBe(200);
    const again = await fetch(new URL(first.path!, platform.gatewayUrl), { headers: bearer.ola });
    expect(again.status).toBe(404);
    expect(codeOf(((await again.json()) as { errors: unknown }).errors)).toBe('DOCUMENT_LINK_INVALID');
  });

  it('are bound to the caller who asked for them', async () => {
    const link = await platform.graphql(START_DOWNLOAD, { id }, bearer.ola);
    const { path } = (link.body.data as { startDocumentDownload: { path: string } }).startDocumentDownload;
    const stolen = await fetch(new URL(path, platform.gatewayUrl), { headers: bearer.per });
    expect(stolen.status).toBe(404);
    // The thief's try spent nothing: the link is still the citizen's... but no: a link is used at most once, by its
    // caller only; the other caller's attempt does not match it, so the citizen's own use still works.
    const own = await fetch(new URL(path, platform.gatewayUrl), { headers: bearer.ola });
    expect(own.status).toBe(200);
  });

  it('are single-purpose: an upload link does not download, and is spent by trying', async () => {
    const { path } = await startUpload(caseSystem);
    const asDownload = await fetch(new URL(path, platform.gatewayUrl), { headers: caseSystem });
    expect(asDownload.status).toBe(404);
    expect((await put(path, caseSystem, letter(10))).status).toBe(404);
  });

  it('refuse a malformed or unknown link without saying which', async () => {
    for (const path of ['/documents/content/nope', `/documents/content/${'A'.repeat(43)}`]) {
      const response = await fetch(new URL(path, platform.gatewayUrl), { headers: bearer.ola });
      expect(response.status).toBe(404);
      expect(codeOf(((await response.json()) as { errors: unknown }).errors)).toBe('DOCUMENT_LINK_INVALID');
    }
  });

  it('are never logged, by the gateway or the subgraph', async () => {
    const got = await download(bearer.ola!, id);
    expect(got.status).toBe(200);
    const secret = got.path!.split('/').pop()!;
    expect(platform.logs.some((line) => line.includes('/content/[redacted]'))).toBe(true);
    expect(platform.logs.filter((line) => line.includes(secret))).toEqual([]);
  });

  it('need the caller to be authenticated', async () => {
    const link = await platform.graphql(START_DOWNLOAD, { id }, bearer.ola);
    const { path } = (link.body.data as { startDocumentDownload: { path: string } }).startDocumentDownload;
    const anonymous = await fetch(new URL(path, platform.gatewayUrl));
    expect(anonymous.status).toBe(401);
  });
});

describe('uploads that do not finish leave nothing behind', () => {
  async function contentFiles() {
    return (await readdir(platform.config.documents.contentDir)).length;
  }

  it('an upload cut off midway leaves no document and no content', async () => {
    const before = await contentFiles();
    const correlationId = randomUUID();
    const { documentId, path } = await startUpload(caseSystem, { correlationId });
    await new Promise<void>((resolve) => {
      const req = httpRequest(new URL(path, platform.gatewayUrl), {
        method: 'PUT',
        headers: { ...caseSystem, 'content-type': 'application/octet-stream', 'content-length': '10000000' },
      });
      req.on('error', () => resolve());
      req.write(letter(3_000_000), () => {
        req.destroy();
        resolve();
      });
    });
    await vi.waitFor(
      async () => {
        const rows = await platform.db.query('select 1 from documents.document where id = $1', [documentId]);
        expect(rows).toHaveLength(0);
        expect(await contentFiles()).toBe(before);
      },
      { timeout: 10_000, interval: 50 },
    );
    const listed = await platform.graphql(
      'query ($a: ID!, $c: ID!) { documentsByCorrelationId(accountId: $a, correlationId: $c) { id } }',
      { a: ACCOUNT, c: correlationId },
      caseSystem,
    );
    expect(listed.body.data).toEqual({ documentsByCorrelationId: [] });
  });
});

describe('every kind of exposure', () => {
  it('INTEGRATION: the integration named reads it', async () => {
    const id = await upload(letter(5000, 3), {
      exposedTo: [{ kind: 'INTEGRATION', value: DEMO_INTEGRATIONS.fjordvikCaseSystem.id }],
    });
    const got = await download(caseSystem, id);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(letter(5000, 3))).toBe(true);
  });

  it('ORGANIZATION: a person acting for it with Post/arkiv reads it; the same person for themselves does not', async () => {
    const id = await upload(letter(7000, 4), {
      exposedTo: [{ kind: 'ORGANIZATION', value: DEMO_ORGS.vendor.orgnr }],
    });
    const liv = await personHeaders(DEMO_PERSONS.liv.pid, 'substantial', DEMO_ORGS.vendor.orgnr);
    const got = await download(liv, id);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(letter(7000, 4))).toBe(true);
    const livAlone = await personHeaders(DEMO_PERSONS.liv.pid);
    expect(codeOf((await download(livAlone, id)).link)).toBe('FORBIDDEN');
  });

  it('AUTHORIZATION: a caseworker reads a citizen document only under a grant that carries a legal basis, audited with it', async () => {
    const id = await upload(letter(3000, 5), {
      exposedTo: [
        { kind: 'PERSON', value: OLA },
        { kind: 'AUTHORIZATION', value: `DOKUMENTLAGER.READ@${DEMO_RESOURCES.fjordvikOppvekst}` },
      ],
    });
    const grant = `mutation ($basis: String) { grantPrivilege(resourceId: "${DEMO_RESOURCES.fjordvikOppvekst}",
      actorType: PERSON, actorId: "${DEMO_PERSONS.per.pid}", privilege: "DOKUMENTLAGER.READ", legalBasis: $basis) { id } }`;
    const granted = await platform.graphql(grant, { basis: null }, bearer.kari);
    expect(granted.body.errors).toBeUndefined();
    const grantId = (granted.body.data as { grantPrivilege: { id: string } }).grantPrivilege.id;
    // Without a legal basis: no link for the person's document.
    const without = await download(bearer.per!, id);
    expect(without.status === 403 || codeOf(without.link) === 'FORBIDDEN').toBe(true);

    const revoked = await platform.graphql(
      `mutation { revokePrivilege(grantId: "${grantId}") }`,
      {},
      bearer.kari,
    );
    expect(revoked.body.errors).toBeUndefined();
    const regranted = await platform.graphql(
      grant,
      { basis: 'barnevernsloven § 13-1 (syntetisk)' },
      bearer.kari,
    );
    expect(regranted.body.errors).toBeUndefined();
    const got = await download(bearer.per!, id);
    expect(got.status).toBe(200);
    const events = await platform.db.query<{ legal_basis: string; data_subject: string }>(
      `select legal_basis, data_subject from audit.event
        where action = 'DOCUMENT_CONTENT_READ' and payload->>'documentId' = $1 and actor_id = $2`,
      [id, DEMO_PERSONS.per.pid],
    );
    expect(events).toEqual([{ legal_basis: 'barnevernsloven § 13-1 (syntetisk)', data_subject: OLA }]);
  });
});

describe('security level 4', () => {
  it('asks a substantial login to step up, with a login URL for a high one; a high login reads it', async () => {
    const id = await upload(letter(4000, 6), { securityLevel: 4 });
    const low = await platform.graphql(START_DOWNLOAD, { id }, bearer.ola);
    expect(low.status).toBe(403);
    const error = (low.body.errors as { extensions: Record<string, string> }[])[0]!;
    expect(error.extensions.code).toBe('INSUFFICIENT_AUTHENTICATION_LEVEL');
    expect(error.extensions.requiredAcr).toBe('idporten-loa-high');
    expect(error.extensions.loginUrl).toContain('acr=idporten-loa-high');
    const high = await download(bearer.olaHigh!, id);
    expect(high.status).toBe(200);
    expect(high.bytes.equals(letter(4000, 6))).toBe(true);
  });
});

describe('the citizen owns their data', () => {
  it('deleting destroys the key at once and the content with the next purge; the uploader sees who deleted it', async () => {
    const id = await upload(letter(9000, 7));
    const deleted = await platform.graphql(
      'mutation ($id: ID!) { deleteDocument(id: $id) { id contentDestroyed } }',
      { id },
      bearer.ola,
    );
    expect(deleted.body.data).toEqual({ deleteDocument: { id, contentDestroyed: true } });
    expect(
      await platform.db.query('select 1 from documents.data_key where document_id = $1', [id]),
    ).toHaveLength(0);
    const delivery = await platform.graphql(DELIVERY, { id }, caseSystem);
    expect((delivery.body.data as { document: Record<string, unknown> }).document).toMatchObject({
      deletedBy: 'RECIPIENT',
    });
    expect(codeOf((await download(bearer.ola!, id)).link)).toBe('FORBIDDEN');
    await purgeDocuments(platform.db, await resources());
    await expect(readFile(`${platform.config.documents.contentDir}/${id}`)).rejects.toMatchObject({
      code: 'ENOENT',
    });
    const events = await platform.db.query<{ action: string }>(
      `select action from audit.event where payload->>'documentId' = $1 and action = 'DOCUMENT_DELETED'`,
      [id],
    );
    expect(events).toHaveLength(1);
  });

  it('a person it is not for cannot delete it; the account (its administrator) can, without reading it', async () => {
    const id = await upload(letter(100, 8));
    const refused = await platform.graphql(
      'mutation ($id: ID!) { deleteDocument(id: $id) { id } }',
      { id },
      bearer.per,
    );
    expect(codeOf(refused.body.errors)).toBe('FORBIDDEN');
    expect(
      await platform.db.query('select 1 from documents.data_key where document_id = $1', [id]),
    ).toHaveLength(1);
    // ADMIN on Fjordvik's root holds DOKUMENTLAGER.UPLOAD on its account: the account's holder deletes, as
    // Dokumentlager's DELETE …/dokumenter/{id} lets it (FIKS-FACTS §6).
    const byAccount = await platform.graphql(
      'mutation ($id: ID!) { deleteDocument(id: $id) { id contentDestroyed } }',
      { id },
      bearer.kari,
    );
    expect(byAccount.body.data).toEqual({ deleteDocument: { id, contentDestroyed: true } });
    const delivery = await platform.graphql(DELIVERY, { id }, caseSystem);
    expect((delivery.body.data as { document: Record<string, unknown> }).document).toMatchObject({
      deletedBy: 'UPLOADER',
    });
  });

  it('opting out deletes what is kept and refuses new uploads to them until they opt in again', async () => {
    const kept = await upload(letter(100, 9));
    const out = await platform.graphql('mutation { optOutOfDocumentStorage { optedOut } }', {}, bearer.ola);
    expect(out.body.data).toEqual({ optOutOfDocumentStorage: { optedOut: true } });
    const delivery = await platform.graphql(DELIVERY, { id: kept }, caseSystem);
    expect((delivery.body.data as { document: Record<string, unknown> }).document).toMatchObject({
      deletedBy: 'OPT_OUT',
    });
    const refused = await platform.graphql(START_UPLOAD, { input: input() }, caseSystem);
    expect(codeOf(refused.body.errors)).toBe('RECIPIENT_OPTED_OUT');
    const back = await platform.graphql('mutation { optInToDocumentStorage { optedOut } }', {}, bearer.ola);
    expect(back.body.data).toEqual({ optInToDocumentStorage: { optedOut: false } });
    await upload(letter(100, 10));
  });

  it('an opt-out while an upload is under way refuses that upload too', async () => {
    const { documentId, path } = await startUpload(caseSystem);
    await platform.graphql('mutation { optOutOfDocumentStorage { optedOut } }', {}, bearer.ola);
    const refused = await put(path, caseSystem, letter(100));
    expect(refused.status).toBe(409);
    expect(codeOf((refused.body as { errors: unknown }).errors)).toBe('RECIPIENT_OPTED_OUT');
    expect(
      await platform.db.query('select 1 from documents.document where id = $1', [documentId]),
    ).toHaveLength(0);
    await platform.graphql('mutation { optInToDocumentStorage { optedOut } }', {}, bearer.ola);
  });
});

describe('expiry', () => {
  it('the purge crypto-shreds documents past their time, audited, and keeps their metadata', async () => {
    const id = await upload(letter(100, 11), { ttlSeconds: 3600 });
    // Time passes: the document's time is moved, not the clock.
    await platform.db.query(
      `update documents.document set available_until = now() - interval '1 second' where id = $1`,
      [id],
    );
    const round = await purgeDocuments(platform.db, await resources());
    expect(round.ran).toBe(true);
    expect(round.expired).toBeGreaterThanOrEqual(1);
    const delivery = await platform.graphql(DELIVERY, { id }, caseSystem);
    expect((delivery.body.data as { document: Record<string, unknown> }).document).toMatchObject({
      deletedBy: 'EXPIRED',
    });
    const events = await platform.db.query<{ actor_type: string; data_subject: string }>(
      `select actor_type, data_subject from audit.event where action = 'DOCUMENT_PURGED' and payload->>'documentId' = $1`,
      [id],
    );
    expect(events).toEqual([{ actor_type: 'PLATFORM', data_subject: OLA }]);
  });

  it('a second replica skips its round while one purges', async () => {
    const both = await Promise.all([
      purgeDocuments(platform.db, await resources()),
      purgeDocuments(platform.db, await resources()),
    ]);
    // On PGlite the two transactions run one after the other; on PostgreSQL at most one holds the lock at a time.
    expect(both.filter((r) => r.ran).length).toBeGreaterThanOrEqual(1);
  });
});

describe('tampered content', () => {
  it('is refused with a stable code, never served', async () => {
    const id = await upload(letter(70_000, 12));
    const file = `${platform.config.documents.contentDir}/${id}`;
    const stored = await readFile(file);
    const at = stored.length - 100;
    stored.writeUInt8(stored.readUInt8(at) ^ 0x01, at);
    await writeFile(file, stored);
    const got = await download(bearer.ola!, id, { range: 'bytes=66000-66100' });
    expect(got.status).toBe(500);
    expect(codeOf((JSON.parse(got.bytes.toString('utf8')) as { errors: unknown }).errors)).toBe(
      'DOCUMENT_CONTENT_TAMPERED',
    );
  });
});
