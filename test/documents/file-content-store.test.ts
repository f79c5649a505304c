// The file content store: objects appear only when complete, a failed write leaves nothing behind, ranged reads, and
// only UUIDs name files.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileContentStore } from '../../subgraphs/documents/content/file-content-store.ts';

describe('documents / content / file store', () => {
  let root: string;
  let folder: string;
  let store: FileContentStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'content-store-'));
    folder = join(root, 'content');
    store = new FileContentStore(folder);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('writes an object and reads it back whole and in ranges', async () => {
    const id = randomUUID();
    const content = randomBytes(200_000);
    expect(
      await store.write(id, Readable.from([content.subarray(0, 70_000), content.subarray(70_000)])),
    ).toEqual({
      bytes: content.length,
    });
    expect(await store.size(id)).toBe(content.length);
    expect((await buffer(await store.read(id))).equals(content)).toBe(true);
    for (const [start, end] of [
      [0, 0],
      [199_999, 199_999],
      [65_000, 140_000],
    ] as const) {
      expect(
        (await buffer(await store.read(id, { start, end }))).equals(content.subarray(start, end + 1)),
      ).toBe(true);
    }
    // As HTTP and S3: a range reaching past the end gives the bytes up to the end.
    expect((await buffer(await store.read(id, { start: 199_990, end: 200_500 }))).length).toBe(10);
  });

  it('creates a private folder and private files, and leaves no temporary', async () => {
    const id = randomUUID();
    await store.write(id, Readable.from([Buffer.from('sealed')]));
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect((await stat(join(folder, id))).mode & 0o777).toBe(0o600);
    expect(await readdir(folder)).toEqual([id]);
  });

  it('stores an empty object', async () => {
    const id = randomUUID();
    expect(await store.write(id, Readable.from([]))).toEqual({ bytes: 0 });
    expect(await store.size(id)).toBe(0);
  });

  it('leaves no file and no temporary when the source fails midway', async () => {
    const id = randomUUID();
    const source = new PassThrough();
    const writing = store.write(id, source);
    source.write(randomBytes(100_000));
    source.destroy(new Error('the upload was cut'));
    await expect(writing).rejects.toThrow('the upload was cut');
    expect(await readdir(folder)).toEqual([]);
    expect(await store.size(id)).toBeNull();
  });

  it('leaves no file and no temporary when the source is aborted without an error', async () => {
    const id = randomUUID();
    const source = new PassThrough();
    const writing = store.write(id, source);
    source.write(randomBytes(1000));
    source.destroy();
    await expect(writing).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    expect(await readdir(folder)).toEqual([]);
  });

  it('refuses to write over an existing object, which stays as it was', async () => {
    const id = randomUUID();
    await store.write(id, Readable.from([Buffer.from('first')]));
    await expect(store.write(id, Readable.from([Buffer.from('second')]))).rejects.toMatchObject({
      code: 'CONTENT_EXISTS',
    });
    // The other spelling of the same UUID is the same object.
    await expect(store.write(id.toUpperCase(), Readable.from([Buffer.from('third')]))).rejects.toMatchObject({
      code: 'CONTENT_EXISTS',
    });
    expect((await buffer(await store.read(id))).toString()).toBe('first');
    expect(await readdir(folder)).toEqual([id]);
  });

  it('refuses concurrent writes of one id but for one', async () => {
    const id = randomUUID();
    const results = await Promise.allSettled(
      ['a', 'b', 'c'].map((text) => store.write(id, Readable.from([Buffer.from(text)]))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refusals = results.flatMap((r) =>
      r.status === 'rejected' ? [(r.reason as { code?: string }).code] : [],
    );
    expect(refusals).toEqual(['CONTENT_EXISTS', 'CONTENT_EXISTS']);
    expect(await readdir(folder)).toEqual([id]);
  });

  it.each(['../escape', '..', 'a/b', '', `${randomUUID()}/../x`, `.partial-${randomUUID()}`, 'not-a-uuid'])(
    'refuses the id %j',
    async (id) => {
      await expect(store.write(id, Readable.from([Buffer.from('x')]))).rejects.toMatchObject({
        code: 'CONTENT_ID_INVALID',
      });
      await expect(store.read(id)).rejects.toMatchObject({ code: 'CONTENT_ID_INVALID' });
      await expect(store.size(id)).rejects.toMatchObject({ code: 'CONTENT_ID_INVALID' });
      await expect(store.delete(id)).rejects.toMatchObject({ code: 'CONTENT_ID_INVALID' });
      // Nothing was written anywhere, inside the folder or beside it.
      expect((await readdir(root, { recursive: true })).filter((name) => name !== 'content')).toEqual([]);
    },
  );

  it('answers CONTENT_NOT_FOUND and a null size for a missing object', async () => {
    await expect(store.read(randomUUID())).rejects.toMatchObject({ code: 'CONTENT_NOT_FOUND' });
    expect(await store.size(randomUUID())).toBeNull();
  });

  it('deletes idempotently', async () => {
    const id = randomUUID();
    await store.write(id, Readable.from([Buffer.from('x')]));
    await store.delete(id);
    await store.delete(id);
    expect(await store.size(id)).toBeNull();
    await expect(store.read(id)).rejects.toMatchObject({ code: 'CONTENT_NOT_FOUND' });
  });

  it('removes the temporaries a crash left, and nothing else', async () => {
    const kept = randomUUID();
    await store.write(kept, Readable.from([Buffer.from('kept')]));
    await writeFile(join(folder, `.partial-${randomUUID()}`), 'half');
    await writeFile(join(folder, `.partial-${randomUUID()}`), 'half');
    expect(await store.removeIncomplete()).toBe(2);
    expect(await readdir(folder)).toEqual([kept]);
    expect(await store.removeIncomplete()).toBe(0);
  });
});
