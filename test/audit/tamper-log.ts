// An audit log on its own fresh database (PGlite, or PostgreSQL with DATABASE_URL): the audit schema migrated, a
// signing key, a witness file, and the real checkpointer, verifier and retention — for the tamper tests, which act
// as a database superuser on it directly. Synthetic identities only.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendAuditEvent } from '../../auditlog/append.ts';
import { DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { openDatabase, type DatabaseTarget, type Db } from '../../db/database.ts';
import { migrate } from '../../db/migrations.ts';
import { trustedKeys, type SignedCheckpoint } from '../../subgraphs/audit/checkpoint.ts';
import { runCheckpoint } from '../../subgraphs/audit/checkpointer.ts';
import { fromJwk, type AuditKey } from '../../subgraphs/audit/signing-key.ts';
import { VerificationReader } from '../../subgraphs/audit/store/verification.ts';
import type { AuditLogVerification } from '../../subgraphs/audit/verification-report.ts';
import { verifyAuditLog } from '../../subgraphs/audit/verify.ts';
import { readWitness } from '../../subgraphs/audit/witness.ts';
import { createTestDatabase } from '../support/database.ts';

export const newKey = (): AuditKey =>
  fromJwk(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }));

export interface TestLog {
  /** Replaceable: a test that lets another process open an embedded database closes and reopens it. */
  db: Db;
  target: DatabaseTarget;
  key: AuditKey;
  witnessFile: string;
  /** Appends one event (a caseworker reading a citizen's data) as the application does; answers its id. */
  append(n?: number): Promise<string>;
  checkpoint(): Promise<SignedCheckpoint | null>;
  /** Appends `count` events, each followed by its own checkpoint; answers the ids in leaf order. */
  appendEach(count: number): Promise<string[]>;
  verify(options?: { witness?: boolean }): Promise<AuditLogVerification>;
  /** The event id at each leaf index, in order. */
  leafOrder(): Promise<string[]>;
  close(): Promise<void>;
}

/** `pgliteDir`: keep an embedded database in this folder (when not on PostgreSQL), for another process to open. */
export async function openTestLog(options: { pgliteDir?: string } = {}): Promise<TestLog> {
  const database = await createTestDatabase();
  if (database.target.kind === 'pglite' && options.pgliteDir)
    database.target = { kind: 'pglite', dir: options.pgliteDir };
  const db = await openDatabase(database.target);
  await migrate(db, 'audit', new URL('../../subgraphs/audit/migrations/', import.meta.url));
  const folder = await mkdtemp(join(tmpdir(), 'fiks-audit-test-'));
  const key = newKey();
  const witnessFile = join(folder, 'witness.jsonl');
  let appended = 0;
  const log: TestLog = {
    db,
    target: database.target,
    key,
    witnessFile,
    async append(n = appended) {
      appended += 1;
      return appendAuditEvent(log.db, {
        actorType: 'PERSON',
        actorId: DEMO_PERSONS.per.pid,
        onBehalfOf: DEMO_ORGS.fjordvik.orgnr,
        orgnr: DEMO_ORGS.fjordvik.orgnr,
        service: 'documents',
        action: 'PERSONAL_DATA_READ',
        dataSubject: DEMO_PERSONS.ola.pid,
        legalBasis: 'forvaltningsloven § 13 b',
        requestId: `request-${n}`,
        payload: { resourceType: 'Document', fields: ['title'], n },
      });
    },
    checkpoint: () => runCheckpoint(log.db, { key, witnessFile }),
    async appendEach(count) {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) {
        ids.push(await log.append());
        await log.checkpoint();
      }
      return ids;
    },
    async verify(options = {}) {
      const witness =
        options.witness === false ? { lines: [], unreadable: [] } : await readWitness(witnessFile);
      return verifyAuditLog(new VerificationReader(log.db), { keys: trustedKeys(key), witness });
    },
    async leafOrder() {
      const rows = await log.db.query<{ id: string }>(
        'select event_id as id from audit.leaf order by leaf_index',
      );
      return rows.map((r) => r.id);
    },
    async close() {
      await log.db.close();
      await database.drop();
      await rm(folder, { recursive: true, force: true });
    },
  };
  return log;
}
