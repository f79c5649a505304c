// The KEK file on disk: its format, how it is checked when read, and how it is written (atomically, 0600). Errors
// name the file and what is wrong with it, never its content: the content is key material.
import { randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

export const KEY_FILE_FORMAT = 'fiks-document-kek';
const KEK_BYTES = 32;

const base64Key = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/)
  .refine((text) => Buffer.from(text, 'base64').length === KEK_BYTES);

const versionEntry = z.strictObject({
  version: z.number().int().min(1).max(0xffff_ffff),
  // A retired version keeps its entry (so its number is never reused) without its key.
  key: base64Key.optional(),
  createdAt: z.iso.datetime(),
  retiredAt: z.iso.datetime().nullable(),
});

const keyFileSchema = z
  .strictObject({
    format: z.literal(KEY_FILE_FORMAT),
    keyId: z.uuid(),
    current: z.number().int().min(1),
    versions: z.array(versionEntry).min(1),
  })
  .superRefine((file, ctx) => {
    const numbers = new Set(file.versions.map((v) => v.version));
    if (numbers.size !== file.versions.length)
      ctx.addIssue({ code: 'custom', message: 'a version is repeated' });
    for (const v of file.versions) {
      if ((v.retiredAt === null) !== (v.key !== undefined))
        ctx.addIssue({ code: 'custom', message: `version ${v.version}: a key exactly when not retired` });
    }
    const current = file.versions.find((v) => v.version === file.current);
    if (!current?.key) ctx.addIssue({ code: 'custom', message: 'the current version has no key' });
  });

export type KeyFile = z.output<typeof keyFileSchema>;

export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

/** A new file's content: one version. */
export function newKeyFile(now: Date): KeyFile {
  return {
    format: KEY_FILE_FORMAT,
    keyId: randomUUID(),
    current: 1,
    versions: [{ version: 1, key: newKek(), createdAt: now.toISOString(), retiredAt: null }],
  };
}

export function newKek(): string {
  return randomBytes(KEK_BYTES).toString('base64');
}

/** The file, checked; null when it does not exist. */
export async function readKeyFile(path: string): Promise<KeyFile | null> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // As ssh does with a private key: a key others can read (or replace) is refused. Windows has no such bits.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new KeyFileError(
      `document key file ${path}: group or others have access (mode ${(mode & 0o777).toString(8)}); chmod 600 it`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    // JSON.parse's message quotes the text it choked on; that text is a key.
    throw new KeyFileError(`document key file ${path}: not JSON`);
  }
  const result = keyFileSchema.safeParse(parsed);
  if (!result.success) {
    // Paths and zod's own wording only: never `input`, which holds the key.
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new KeyFileError(
      `document key file ${path}: not a ${KEY_FILE_FORMAT} file (${problems.join('; ')})`,
    );
  }
  return result.data;
}

/** Creates the file (and its folder, 0700) unless it exists; the first of two processes starting at once wins. */
export async function createKeyFile(path: string, file: KeyFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = await writeTemp(path, file);
  try {
    // link() fails with EEXIST instead of replacing: a file another process created first is kept, not overwritten.
    await link(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temp);
  }
  await syncFolder(path);
}

/** Replaces the file atomically: a crash leaves the old file or the new one, never half of one. */
export async function replaceKeyFile(path: string, file: KeyFile): Promise<void> {
  const temp = await writeTemp(path, file);
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(path);
}

/** Runs fn while holding `<path>.lock`, so two rotations at once cannot each drop the other's new version. */
export async function withKeyFileLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  try {
    await writeFile(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new KeyFileError(
      `document key file ${path} is being changed by another process (${lock} exists; remove it if none is)`,
    );
  }
  try {
    return await fn();
  } finally {
    await unlink(lock);
  }
}

async function writeTemp(path: string, file: KeyFile): Promise<string> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

/** The rename or link is durable only once the folder's entry is on disk too. */
async function syncFolder(path: string): Promise<void> {
  const folder = await open(dirname(path), 'r').catch(() => null);
  if (!folder) return;
  try {
    await folder.sync().catch(() => undefined);
  } finally {
    await folder.close();
  }
}
