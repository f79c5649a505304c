// Rotating the document store's key-encryption key (issue #11 item 3) against a real database: every data key ends up
// wrapped under the new version and still unwraps after the old version's material is gone; a stopped rotation
// resumes; a row deleted meanwhile (a crypto-shredded document) stays deleted.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/database.ts';
import { newDataKey } from '../../subgraphs/documents/keys/data-key.ts';
import {
  openFileKeyEncryptionKeys,
  type FileKeyEncryptionKeys,
} from '../../subgraphs/documents/keys/file-key-encryption-keys.ts';
import { retireUnused, rotateKeys } from '../../subgraphs/documents/keys/rotate-keys.ts';
import {
  SqlWrappedKeyRepository,
  type WrappedKeyRepository,
  type WrappedKeyRow,
} from '../../subgraphs/documents/keys/wrapped-key-repository.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The table as the documents schema's migration creates it.
const DATA_KEY_TABLE = `
  create schema if not exists documents;
  create table documents.data_key (
    document_id  uuid primary key,
    data_key_id  uuid not null unique,
    kek_id       text not null,
    kek_version  integer not null,
    wrapped      bytea not null,
    created_at   timestamptz not null default now(),
    rewrapped_at timestamptz
  )`;

describe('documents / key rotation', () => {
  let testDb: TestDatabase;
  let db: Db;
  let folder: string;
  let keys: FileKeyEncryptionKeys;
  let repository: WrappedKeyRepository;
  /** The data keys as stored, by document id, to check every row still unwraps to its own key. */
  let dataKeys: Map<string, Buffer>;

  async function store(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const documentId = randomUUID();
      const dataKeyId = randomUUID();
      const dataKey = newDataKey();
      const w = await keys.wrap(dataKey, { documentId, dataKeyId });
      await db.query(
        `insert into documents.data_key (document_id, data_key_id, kek_id, kek_version, wrapped)
         values ($1, $2, $3, $4, $5)`,
        [documentId, dataKeyId, w.keyId, w.version, w.wrapped],
      );
      dataKeys.set(documentId, dataKey);
    }
  }

  async function rows(): Promise<WrappedKeyRow[]> {
    return repository.stale({ keyId: 'none', version: 0 }, 10_000);
  }

  async function expectAllUnwrap(): Promise<void> {
    const all = await rows();
    expect(all).toHaveLength(dataKeys.size);
    for (const row of all) expect(await keys.unwrap(row, row)).toEqual(dataKeys.get(row.documentId));
  }

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase(testDb.target);
    // eslint-disable-next-line fiks/no-sql-interpolation -- the migration's own statements.
    await db.query(DATA_KEY_TABLE.split(';')[0]!);
    // eslint-disable-next-line fiks/no-sql-interpolation -- the migration's own statements.
    await db.query(DATA_KEY_TABLE.split(';')[1]!);
    repository = new SqlWrappedKeyRepository(db);
    folder = await mkdtemp(join(tmpdir(), 'fiks-rotate-'));
  });
  beforeEach(async () => {
    await db.query('delete from documents.data_key');
    keys = await openFileKeyEncryptionKeys(join(folder, randomUUID(), 'document-kek.json'), { create: true });
    dataKeys = new Map();
  });
  afterAll(async () => {
    await db.close();
    await testDb.drop();
    await rm(folder, { recursive: true, force: true });
  });

  it('answers the stored bytes as a Buffer, on PGlite and PostgreSQL alike', async () => {
    await store(1);
    const [row] = await rows();
    expect(Buffer.isBuffer(row!.wrapped)).toBe(true);
    expect(row!.wrapped).toHaveLength(60);
  });

  it('re-wraps every data key under a new version; after retiring the old one every row still unwraps', async () => {
    await store(7);
    const { keyId } = keys.current();
    const progress: number[] = [];
    const result = await rotateKeys({
      keys,
      repository,
      batchSize: 3,
      onProgress: (p) => void progress.push(p.rewrapped),
    });
    expect(result).toEqual({ rewrapped: 7, skipped: 0, unreadable: 0, version: 2 });
    expect(progress).toEqual([3, 6, 7]);
    expect(await repository.countByVersion()).toEqual([{ keyId, version: 2, count: 7 }]);
    const rewrappedAt = await db.query<{ n: number }>(
      'select count(*)::int as n from documents.data_key where rewrapped_at is not null',
    );
    expect(rewrappedAt).toEqual([{ n: 7 }]);

    expect(await retireUnused(keys, repository)).toEqual([1]);
    const file = JSON.parse(await readFile(keys.path, 'utf8')) as { versions: { key?: string }[] };
    expect(file.versions[0]!.key).toBeUndefined();
    // A fresh instance, from the file alone: the old version's key is not needed any more.
    keys = await openFileKeyEncryptionKeys(keys.path, { create: false });
    await expectAllUnwrap();
  });

  it('does not retire a version that still wraps a data key', async () => {
    await store(2);
    await keys.rotate();
    await store(1);
    expect(await retireUnused(keys, repository)).toEqual([]);
    expect(keys.versions().map((v) => v.retired)).toEqual([false, false]);
  });

  it('resumes a rotation stopped after its first batch, with or without another new version', async () => {
    await store(5);
    const stop = new Error('stopped');
    const stopped = rotateKeys({
      keys,
      repository,
      batchSize: 2,
      onProgress: () => {
        throw stop;
      },
    });
    await expect(stopped).rejects.toBe(stop);
    const { keyId } = keys.current();
    expect(await repository.countByVersion()).toEqual([
      { keyId, version: 1, count: 3 },
      { keyId, version: 2, count: 2 },
    ]);

    expect(await rotateKeys({ keys, repository, batchSize: 2, newVersion: false })).toEqual({
      rewrapped: 3,
      skipped: 0,
      unreadable: 0,
      version: 2,
    });
    expect(await repository.countByVersion()).toEqual([{ keyId, version: 2, count: 5 }]);

    // Stopped again, then run as a fresh rotation: everything ends under the newest version.
    await expect(
      rotateKeys({ keys, repository, batchSize: 2, onProgress: () => Promise.reject(stop) }),
    ).rejects.toBe(stop);
    expect((await rotateKeys({ keys, repository, batchSize: 2 })).rewrapped).toBe(5);
    expect(await repository.countByVersion()).toEqual([{ keyId, version: 4, count: 5 }]);
    expect(await retireUnused(keys, repository)).toEqual([1, 2, 3]);
    await expectAllUnwrap();
  });

  it('does not resurrect a row deleted while the rotation runs, and counts it as skipped', async () => {
    await store(4);
    const [, victim] = await rows();
    const deleting: WrappedKeyRepository = {
      stale: (current, limit, after) => repository.stale(current, limit, after),
      countByVersion: () => repository.countByVersion(),
      async replace(row, next) {
        // The document is crypto-shredded between reading its row and replacing it.
        if (row.documentId === victim!.documentId)
          await db.query('delete from documents.data_key where document_id = $1', [row.documentId]);
        return repository.replace(row, next);
      },
    };
    const result = await rotateKeys({ keys, repository: deleting });
    expect(result).toMatchObject({ rewrapped: 3, skipped: 1 });
    dataKeys.delete(victim!.documentId);
    expect((await rows()).map((r) => r.documentId)).not.toContain(victim!.documentId);
    await expectAllUnwrap();
  });

  it('does not replace a row whose wrap changed since it was read', async () => {
    await store(1);
    const [row] = await rows();
    const next = await keys.wrap(dataKeys.get(row!.documentId)!, row!);
    expect(await repository.replace(row!, next)).toBe(true);
    expect(await repository.replace(row!, next)).toBe(false);
  });

  it('passes over a data key that does not unwrap, reports it, and keeps its version', async () => {
    await store(3);
    const [, spoiled] = await rows();
    await db.query(`update documents.data_key set wrapped = $2 where document_id = $1`, [
      spoiled!.documentId,
      Buffer.alloc(60),
    ]);
    const unreadable: string[] = [];
    const result = await rotateKeys({
      keys,
      repository,
      batchSize: 1,
      onProgress: (p) => void unreadable.push(...p.unreadable),
    });
    expect(result).toEqual({ rewrapped: 2, skipped: 0, unreadable: 1, version: 2 });
    expect(unreadable).toEqual([spoiled!.documentId]);
    expect(await retireUnused(keys, repository)).toEqual([]);
  });
});
