// The document store's key-encryption keys (issue #11 item 3): a data key wrapped for one document unwraps only for
// that document, data key id and KEK version; a retired or unknown version is unavailable rather than guessed at;
// production refuses a missing or readable-by-others key file; another process's rotation is picked up.
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDataKey } from '../../subgraphs/documents/keys/data-key.ts';
import { openFileKeyEncryptionKeys } from '../../subgraphs/documents/keys/file-key-encryption-keys.ts';
import {
  KeyUnavailableError,
  KeyUnwrapError,
  type WrappedKey,
} from '../../subgraphs/documents/keys/key-encryption-keys.ts';

const context = {
  documentId: '6f1f8a52-7c1e-4a43-9a0b-2f3d4c5b6a71',
  dataKeyId: '0b9e4d36-1f2a-4c8b-8e7d-5a6b7c8d9e0f',
};

describe('documents / key-encryption keys', () => {
  let folder: string;
  let counter = 0;
  const keyFile = () => join(folder, `run-${++counter}`, 'keys', 'document-kek.json');

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'fiks-kek-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('creates the key file 0600 in a 0700 folder in development, and wraps and unwraps a data key', async () => {
    const path = keyFile();
    const keys = await openFileKeyEncryptionKeys(path, { create: true });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(path, '..'))).mode & 0o777).toBe(0o700);
    const file = JSON.parse(await readFile(path, 'utf8')) as { format: string; current: number };
    expect(file).toMatchObject({ format: 'fiks-document-kek', current: 1 });

    const dataKey = newDataKey();
    const wrapped = await keys.wrap(dataKey, context);
    expect(wrapped).toMatchObject({ keyId: keys.current().keyId, version: 1 });
    expect(wrapped.wrapped).toHaveLength(12 + 32 + 16);
    expect(wrapped.wrapped.includes(dataKey)).toBe(false);
    expect(await keys.unwrap(wrapped, context)).toEqual(dataKey);

    // A second start reads the same key: what was wrapped before still unwraps.
    const again = await openFileKeyEncryptionKeys(path, { create: true });
    expect(again.current()).toEqual(keys.current());
    expect(await again.unwrap(wrapped, context)).toEqual(dataKey);
  });

  it('refuses to unwrap for another document, another data key, a flipped bit or a relabelled version', async () => {
    const keys = await openFileKeyEncryptionKeys(keyFile(), { create: true });
    const wrapped = await keys.wrap(newDataKey(), context);
    await keys.rotate();
    const other = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
    const flipped = Buffer.from(wrapped.wrapped);
    flipped[20]! ^= 0x01;
    const refused: [WrappedKey, typeof context][] = [
      [wrapped, { ...context, documentId: other }],
      [wrapped, { ...context, dataKeyId: other }],
      [{ ...wrapped, wrapped: flipped }, context],
      [{ ...wrapped, wrapped: wrapped.wrapped.subarray(1) }, context],
      [{ ...wrapped, version: 2 }, context],
    ];
    for (const [w, c] of refused) {
      const error = await keys.unwrap(w, c).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeyUnwrapError);
      expect(error).toMatchObject({ code: 'DOCUMENT_KEY_UNWRAP_FAILED' });
    }
    // The id as the database spells it (lower case) or as a client did (upper case) is the same document.
    const upper = {
      documentId: context.documentId.toUpperCase(),
      dataKeyId: context.dataKeyId.toUpperCase(),
    };
    expect(await keys.unwrap(wrapped, upper)).toHaveLength(32);
  });

  it('answers KeyUnavailableError for an unknown version, a retired one, and another key file', async () => {
    const keys = await openFileKeyEncryptionKeys(keyFile(), { create: true });
    const first = await keys.wrap(newDataKey(), context);
    await keys.rotate();
    await keys.retire(1);
    const stranger = await openFileKeyEncryptionKeys(keyFile(), { create: true });
    for (const w of [first, { ...first, version: 7 }, await stranger.wrap(newDataKey(), context)]) {
      const error = await keys.unwrap(w, context).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeyUnavailableError);
      expect(error).toMatchObject({ code: 'DOCUMENT_KEY_UNAVAILABLE' });
    }
  });

  it('unwraps keys wrapped before and after a rotation, and wraps new keys with the new version', async () => {
    const keys = await openFileKeyEncryptionKeys(keyFile(), { create: true });
    const before = newDataKey();
    const wrappedBefore = await keys.wrap(before, context);
    expect(await keys.rotate()).toEqual({ keyId: wrappedBefore.keyId, version: 2 });
    const after = newDataKey();
    const wrappedAfter = await keys.wrap(after, context);
    expect(wrappedAfter.version).toBe(2);
    expect(await keys.unwrap(wrappedBefore, context)).toEqual(before);
    expect(await keys.unwrap(wrappedAfter, context)).toEqual(after);
    expect(keys.versions()).toMatchObject([
      { version: 1, retired: false, current: false },
      { version: 2, retired: false, current: true },
    ]);
  });

  it('retires a version by removing its key from the file, and refuses to retire the current one', async () => {
    const path = keyFile();
    const keys = await openFileKeyEncryptionKeys(path, { create: true });
    const v1 = (JSON.parse(await readFile(path, 'utf8')) as { versions: { key: string }[] }).versions[0]!.key;
    await expect(keys.retire(1)).rejects.toThrow(/current/);
    await keys.rotate();
    await keys.retire(1);
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(v1);
    const file = JSON.parse(text) as { versions: Record<string, unknown>[] };
    expect(file.versions[0]).not.toHaveProperty('key');
    expect(file.versions[0]!.retiredAt).toEqual(expect.any(String));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(keys.versions().map((v) => [v.version, v.retired, v.current])).toEqual([
      [1, true, false],
      [2, false, true],
    ]);
  });

  it('picks up a version rotated by another instance: unwraps its keys and wraps new ones with it', async () => {
    const path = keyFile();
    const server = await openFileKeyEncryptionKeys(path, { create: true });
    const operator = await openFileKeyEncryptionKeys(path, { create: false });
    await operator.rotate();
    const dataKey = newDataKey();
    const rewrapped = await operator.wrap(dataKey, context);
    expect(rewrapped.version).toBe(2);
    expect(server.current().version).toBe(1);
    expect(await server.unwrap(rewrapped, context)).toEqual(dataKey);
    expect(server.current().version).toBe(2);

    await operator.rotate();
    expect((await server.wrap(newDataKey(), context)).version).toBe(3);
  });

  describe('in production', () => {
    it('refuses to start without the key file, and does not create it', async () => {
      const path = keyFile();
      await expect(openFileKeyEncryptionKeys(path, { create: false })).rejects.toThrow(/missing/);
      await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('refuses a key file group or others can read, like ssh, without showing the key', async () => {
      const path = keyFile();
      await openFileKeyEncryptionKeys(path, { create: true });
      const text = await readFile(path, 'utf8');
      const key = (JSON.parse(text) as { versions: { key: string }[] }).versions[0]!.key;
      await chmod(path, 0o644);
      const error = await openFileKeyEncryptionKeys(path, { create: false }).catch((e: unknown) => e);
      expect(String(error)).toMatch(/group or others have access \(mode 644\)/);
      expect(String(error)).not.toContain(key);
      await chmod(path, 0o600);
      await expect(openFileKeyEncryptionKeys(path, { create: false })).resolves.toBeDefined();
    });

    it.each([
      ['not JSON', (text: string) => text.slice(0, -10)],
      ['a key of the wrong length', (text: string) => text.replace(/"key": "[^"]+"/, '"key": "c2hvcnQ="')],
      ['no current key', (text: string) => text.replace('"current": 1', '"current": 2')],
      ['another format', (text: string) => text.replace('fiks-document-kek', 'something-else')],
    ])('refuses a malformed key file (%s), naming the file and never the key', async (_, spoil) => {
      const path = keyFile();
      await openFileKeyEncryptionKeys(path, { create: true });
      const text = await readFile(path, 'utf8');
      const key = (JSON.parse(text) as { versions: { key: string }[] }).versions[0]!.key;
      await writeFile(path, spoil(text), { mode: 0o600 });
      const error = await openFileKeyEncryptionKeys(path, { create: false }).catch((e: unknown) => e);
      expect(String(error)).toContain(path);
      expect(String(error)).not.toContain(key);
      expect(String(error)).not.toContain(key.slice(0, 12));
    });
  });
});
