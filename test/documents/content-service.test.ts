// Issue #11 item 5, the third wall: no code path unwraps a data key for a principal the document is not exposed to.
// The content service is called directly — no gateway, no GraphQL rules in front of it — with a key store that counts
// its unwraps: for the citizen it is exposed to, one unwrap and the content; for the uploading integration, the
// municipality's administrator and a stranger, a refusal and not a single unwrap. And under the service, row-level
// security alone: those callers' own queries read no wrapped key at all.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessChecker } from '../../access/access-checker.ts';
import type { Principal } from '../../access/principal.ts';
import { createGroupCommitter } from '../../auditlog/group-commit.ts';
import { DEMO_INTEGRATIONS, DEMO_ORGS, DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import { createLogger } from '../../common/logger.ts';
import { DocumentContentService } from '../../subgraphs/documents/content-service.ts';
import type { KeyEncryptionKeys } from '../../subgraphs/documents/keys/key-encryption-keys.ts';
import { personalData } from '../../subgraphs/documents/personal-data.ts';
import { openDocumentResources, type DocumentResources } from '../../subgraphs/documents/resources.ts';
import { DocumentsStore, type PendingDocument } from '../../subgraphs/documents/store.ts';
import { createAuditLog } from '../../subgraphs/runtime/audit.ts';
import { callerScoped } from '../../subgraphs/runtime/caller-scope.ts';
import { PersonalDataReads } from '../../subgraphs/runtime/personal-data-reads.ts';
import type { SubgraphContext } from '../../subgraphs/runtime/types.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const OLA: Principal = { kind: 'person', pid: DEMO_PERSONS.ola.pid, acr: 'idporten-loa-high' };
const KARI: Principal = { kind: 'person', pid: DEMO_PERSONS.kari.pid, acr: 'idporten-loa-high' };
const PER: Principal = { kind: 'person', pid: DEMO_PERSONS.per.pid, acr: 'idporten-loa-high' };
const CASE_SYSTEM: Principal = {
  kind: 'integration',
  integrationId: DEMO_INTEGRATIONS.fjordvikCaseSystem.id,
  orgnr: DEMO_ORGS.vendor.orgnr,
};

let platform: TestPlatform;
let resources: DocumentResources;
let unwraps = 0;
let service: DocumentContentService;

function contextFor(principal: Principal): SubgraphContext<DocumentsStore> {
  const access = createAccessChecker(platform.db, principal, { withLegalBasis: true });
  const requestId = randomUUID();
  return {
    requestId,
    principal,
    access,
    store: new DocumentsStore(callerScoped(platform.db, principal)),
    audit: createAuditLog(
      platform.db,
      { service: 'documents', principal, requestId },
      createGroupCommitter(platform.db),
    ),
    personalData: new PersonalDataReads(personalData, principal, access),
    log: createLogger({ level: 'silent', name: 'test' }),
  };
}

const pending: PendingDocument = {
  orgnr: DEMO_ORGS.fjordvik.orgnr,
  accountId: DEMO_RESOURCES.fjordvikDocuments,
  title: 'Brev til innbygger',
  mimeType: 'text/plain',
  securityLevel: 3,
  correlationId: null,
  availableUntil: null,
  exposures: [{ kind: 'PERSON', value: DEMO_PERSONS.ola.pid }],
};
const content = Buffer.from('Et brev som bare mottakeren skal lese.\n'.repeat(4000));
const documentId = randomUUID();

beforeAll(async () => {
  platform = await startTestPlatform();
  const opened = await openDocumentResources(
    { documents: platform.config.documents },
    createLogger({ level: 'silent', name: 'test' }),
  );
  // The real key store, counting its unwraps.
  const keys: KeyEncryptionKeys = {
    current: () => opened.keys.current(),
    wrap: (dataKey, context) => opened.keys.wrap(dataKey, context),
    unwrap: (wrapped, context) => {
      unwraps += 1;
      return opened.keys.unwrap(wrapped, context);
    },
  };
  resources = { ...opened, keys };
  service = new DocumentContentService(resources);
  const uploader = contextFor(CASE_SYSTEM);
  await service.store(uploader, documentId, pending, Readable.from([content]), (stored, tx) =>
    uploader.audit
      .on(tx)
      .record({ orgnr: pending.orgnr, action: 'DOCUMENT_UPLOADED', payload: { ...stored } }),
  );
}, 60_000);
afterAll(() => platform?.stop());

async function documentAs(principal: Principal) {
  // The document row as the holding organisation's owner sees it: the service must decide, not the lookup.
  const row = await new DocumentsStore(platform.db).document(documentId);
  expect(row).not.toBeNull();
  return { ctx: contextFor(principal), row: row! };
}

describe('the content service unwraps a key only for those a document is exposed to', () => {
  it('the citizen it is exposed to gets the content, with one unwrap', async () => {
    const before = unwraps;
    const { ctx, row } = await documentAs(OLA);
    const opened = await service.open(ctx, row);
    expect((await buffer(opened.stream)).equals(content)).toBe(true);
    expect(unwraps - before).toBe(1);
  });

  it.each([
    ['the uploading integration', CASE_SYSTEM],
    ["the municipality's administrator", KARI],
    ['a caseworker without an exposure', PER],
  ] as const)('%s is refused without a single unwrap', async (_, principal) => {
    const before = unwraps;
    const { ctx, row } = await documentAs(principal);
    await expect(service.open(ctx, row)).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(unwraps).toBe(before);
  });

  it.each([
    ['the uploading integration', CASE_SYSTEM],
    ["the municipality's administrator", KARI],
    ['a caseworker without an exposure', PER],
  ] as const)('row-level security alone gives %s no wrapped key', async (_, principal) => {
    const scoped = callerScoped(platform.db, principal);
    expect(await new DocumentsStore(scoped).dataKey(documentId)).toBeNull();
    expect(await scoped.query('select * from documents.data_key')).toEqual([]);
  });

  it('the citizen, under the same row-level security, reads the wrapped key', async () => {
    expect(await new DocumentsStore(callerScoped(platform.db, OLA)).dataKey(documentId)).not.toBeNull();
  });

  it('a substantial login does not reach a level-4 document’s key either', async () => {
    const id = randomUUID();
    const uploader = contextFor(CASE_SYSTEM);
    await service.store(uploader, id, { ...pending, securityLevel: 4 }, Readable.from([content]), () =>
      Promise.resolve(),
    );
    const substantial: Principal = { ...OLA, acr: 'idporten-loa-substantial' };
    expect(await new DocumentsStore(callerScoped(platform.db, substantial)).dataKey(id)).toBeNull();
    const row = (await new DocumentsStore(platform.db).document(id))!;
    const before = unwraps;
    await expect(service.open(contextFor(substantial), row)).rejects.toMatchObject({ status: 403 });
    expect(unwraps).toBe(before);
  });
});
