// The default content store: one file per object in a private folder. An object is written under a temporary name,
// fsynced, and then linked to its id, so a reader never sees half an object and a crash leaves only a temporary.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, mkdir, open, readdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isUuid } from '../../../common/identifiers.ts';
import { ContentStoreError, type ContentRange, type ContentStore } from './content-store.ts';

const TEMPORARY_PREFIX = '.partial-';
/** Bytes the file's stream takes before it asks the encryption to wait. At the default (16 KiB) every 64 KiB segment
 * waited for its own write to come back from the thread pool, and the whole upload with it; with room for 16
 * segments, writes queue while one is under way and go out together in one writev. Bounded, so memory stays flat. */
const WRITE_BUFFER_BYTES = 1024 * 1024;

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

export class FileContentStore implements ContentStore {
  #ready: Promise<unknown> | undefined;

  constructor(readonly folder: string) {}

  async write(id: string, content: Readable): Promise<{ bytes: number }> {
    // The source may fail before the pipeline below is attached; its error is then the pipeline's, not uncaught.
    content.on('error', () => undefined);
    try {
      return await this.#write(id, content);
    } finally {
      // Once handed over, the source is the store's: a refused or failed write releases it (e.g. an upload socket).
      if (!content.readableEnded) content.destroy();
    }
  }

  async #write(id: string, content: Readable): Promise<{ bytes: number }> {
    const path = await this.#pathOf(id);
    if ((await this.size(id)) !== null) throw exists();
    const temporary = join(this.folder, `${TEMPORARY_PREFIX}${randomUUID()}`);
    try {
      // flush: the file is fsynced before it is closed, so it is durable before it becomes visible; a crash after
      // the link below must not leave an object with missing bytes.
      const sink = createWriteStream(temporary, {
        flags: 'wx',
        mode: 0o600,
        flush: true,
        highWaterMark: WRITE_BUFFER_BYTES,
      });
      await pipeline(content, sink);
      // link, not rename: rename would silently replace an object written meanwhile under the same id; link fails.
      await link(temporary, path).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'EEXIST' ? exists() : error;
      });
      await unlink(temporary);
      await this.#syncFolder();
      return { bytes: sink.bytesWritten };
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  async read(id: string, range?: ContentRange): Promise<Readable> {
    const path = await this.#pathOf(id);
    if (
      range &&
      (!Number.isSafeInteger(range.start) ||
        !Number.isSafeInteger(range.end) ||
        range.start < 0 ||
        range.end < range.start)
    ) {
      throw new RangeError('A content range needs 0 <= start <= end');
    }
    let file: FileHandle;
    try {
      file = await open(path, 'r');
    } catch (error) {
      if (isMissing(error))
        throw new ContentStoreError('CONTENT_NOT_FOUND', 'No content is stored under this id');
      throw error;
    }
    // The stream closes the file when it ends or is destroyed.
    return file.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async size(id: string): Promise<number | null> {
    const path = await this.#pathOf(id);
    try {
      return (await stat(path)).size;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    const path = await this.#pathOf(id);
    await unlink(path).catch((error: unknown) => {
      if (!isMissing(error)) throw error;
    });
  }

  /** Must run before any write of this process: it cannot tell a crashed write's temporary from a running one's. */
  async removeIncomplete(): Promise<number> {
    await this.#ensureFolder();
    const temporaries = (await readdir(this.folder)).filter((name) => name.startsWith(TEMPORARY_PREFIX));
    for (const name of temporaries) {
      await unlink(join(this.folder, name)).catch((error: unknown) => {
        if (!isMissing(error)) throw error;
      });
    }
    return temporaries.length;
  }

  /** Only a UUID names a file: nothing a caller passes can reach outside the folder or a temporary. */
  async #pathOf(id: string): Promise<string> {
    if (!isUuid(id)) throw new ContentStoreError('CONTENT_ID_INVALID', 'A content id must be a UUID');
    await this.#ensureFolder();
    // RFC 9562 §4: UUIDs compare case-insensitively, so both spellings name one object.
    return join(this.folder, id.toLowerCase());
  }

  #ensureFolder(): Promise<unknown> {
    this.#ready ??= mkdir(this.folder, { recursive: true, mode: 0o700 });
    return this.#ready;
  }

  /** The link and the unlink are entries of the folder: fsync it so they survive a crash too. */
  async #syncFolder(): Promise<void> {
    const folder = await open(this.folder, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}

function exists(): ContentStoreError {
  return new ContentStoreError('CONTENT_EXISTS', 'Content is already stored under this id');
}
