// `npm run keys:rotate` run as an operator runs it, against an embedded database it did not write: it rotates,
// re-wraps and retires, one line per batch, and prints versions and counts but never key material.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.ts';
import { newDataKey } from '../../subgraphs/documents/keys/data-key.ts';
import { openFileKeyEncryptionKeys } from '../../subgraphs/documents/keys/file-key-encryption-keys.ts';
import { runEntryPoint } from '../support/child.ts';

describe('documents / npm run keys:rotate', { timeout: 120_000 }, () => {
  let folder: string;
  let env: Record<string, string>;
  let keyFile: string;
  const documentIds: string[] = [];

  async function command(...args: string[]) {
    const child = runEntryPoint('bin/keys-rotate.ts', args, env);
    const code = await child.exited;
    return { code, output: child.output() };
  }

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'fiks-keys-rotate-'));
    keyFile = join(folder, 'keys', 'document-kek.json');
    env = { PGLITE_DIR: join(folder, 'data', 'pglite'), DOCUMENT_KEY_FILE: keyFile, SEED_DEMO_DATA: 'false' };
    const keys = await openFileKeyEncryptionKeys(keyFile, { create: true });
    const db = await openDatabase({ kind: 'pglite', dir: env.PGLITE_DIR });
    await db.query('create schema documents');
    await db.query(`create table documents.data_key (
      document_id uuid primary key, data_key_id uuid not null unique, kek_id text not null,
      kek_version integer not null, wrapped bytea not null, created_at timestamptz not null default now(),
      rewrapped_at timestamptz)`);
    for (let i = 0; i < 3; i++) {
      const context = { documentId: randomUUID(), dataKeyId: randomUUID() };
      const w = await keys.wrap(newDataKey(), context);
      documentIds.push(context.documentId);
      await db.query('insert into documents.data_key values ($1, $2, $3, $4, $5)', [
        context.documentId,
        context.dataKeyId,
        w.keyId,
        w.version,
        w.wrapped,
      ]);
    }
    // The embedded database is one process's at a time.
    await db.close();
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('rotates, re-wraps and retires the old version, then reports it, printing no key', async () => {
    const before = JSON.parse(await readFile(keyFile, 'utf8')) as { versions: { key: string }[] };
    const rotated = await command('--retire-unused');
    expect(rotated.output).toContain('batch 1: 3 re-wrapped to version 2, 0 skipped');
    expect(rotated.output).toContain('retired versions 1');
    expect(rotated.code).toBe(0);

    const status = await command('--status');
    expect(status.output).toMatch(/version 1 \(retired, .*\): wraps 0 data keys/);
    expect(status.output).toMatch(/version 2 \(current, .*\): wraps 3 data keys/);
    expect(status.code).toBe(0);

    const after = JSON.parse(await readFile(keyFile, 'utf8')) as { versions: { key?: string }[] };
    for (const key of [before.versions[0]!.key, after.versions[1]!.key!]) {
      expect(rotated.output + status.output).not.toContain(key);
    }
  });

  it('exits 2 for --status without the key file, and does not create one', async () => {
    const missing = join(folder, 'nowhere', 'document-kek.json');
    const status = runEntryPoint('bin/keys-rotate.ts', ['--status'], { ...env, DOCUMENT_KEY_FILE: missing });
    expect(await status.exited).toBe(2);
    expect(status.output()).toContain(`document key file ${missing} is missing`);
    await expect(readFile(missing)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('exits 1 naming the documents another key file cannot unwrap, and leaves them as they are', async () => {
    const other = runEntryPoint('bin/keys-rotate.ts', ['--resume'], {
      ...env,
      DOCUMENT_KEY_FILE: join(folder, 'other', 'document-kek.json'),
    });
    expect(await other.exited).toBe(1);
    expect(other.output()).toContain(
      '0 data keys re-wrapped, 0 skipped (changed or deleted meanwhile), 3 did not unwrap',
    );
    for (const id of documentIds) expect(other.output()).toContain(id);
    // Still wrapped as the first test left them, under the right key file's version 2.
    const status = await command('--status');
    expect(status.output).toMatch(/version 2 \(current, .*\): wraps 3 data keys/);
  });
});
