// The default KEK store: a key file outside the data folder (key-file.ts), so a copy of the database or of the data
// folder decrypts nothing without it. Rotation and retirement may happen in another process (`npm run keys:rotate`)
// while the server runs: the server re-reads the file when it changed before each wrap, and when asked to unwrap a
// version it does not know, so it wraps with the new version and unwraps data keys re-wrapped by the rotation.
import { stat } from 'node:fs/promises';
import {
  KeyUnavailableError,
  type KeyVersion,
  type RotatableKeyEncryptionKeys,
  type WrapContext,
  type WrappedKey,
} from './key-encryption-keys.ts';
import {
  createKeyFile,
  KeyFileError,
  newKek,
  newKeyFile,
  readKeyFile,
  replaceKeyFile,
  withKeyFileLock,
  type KeyFile,
} from './key-file.ts';
import { unwrapDataKey, wrapDataKey, type KekVersion } from './key-wrap.ts';

export interface FileKeyOptions {
  /** Development: make the file with version 1 when it is missing. Production: refuse to start without it. */
  create: boolean;
  now?: () => Date;
}

export async function openFileKeyEncryptionKeys(
  path: string,
  options: FileKeyOptions,
): Promise<FileKeyEncryptionKeys> {
  const now = options.now ?? (() => new Date());
  let file = await readKeyFile(path);
  if (!file && options.create) {
    await createKeyFile(path, newKeyFile(now()));
    file = await readKeyFile(path);
  }
  if (!file) throw new KeyFileError(`document key file ${path} is missing (DOCUMENT_KEY_FILE)`);
  return new FileKeyEncryptionKeys(path, file, await fingerprint(path), now);
}

export class FileKeyEncryptionKeys implements RotatableKeyEncryptionKeys {
  private keys = new Map<number, KekVersion>();
  private reloading: Promise<void> | null = null;

  constructor(
    readonly path: string,
    private file: KeyFile,
    private seen: string,
    private readonly now: () => Date,
  ) {
    this.adopt(file, seen);
  }

  current(): { keyId: string; version: number } {
    return { keyId: this.file.keyId, version: this.file.current };
  }

  async wrap(dataKey: Buffer, context: WrapContext): Promise<WrappedKey> {
    // One stat per wrap: a rotation by another process is used from the next document on, and a retired version is
    // never chosen for new data after the rotation has re-wrapped everything else.
    if ((await fingerprint(this.path)) !== this.seen) await this.reload();
    const kek = this.keys.get(this.file.current);
    if (!kek) throw new KeyUnavailableError('the current key-encryption key version has no key');
    return { keyId: kek.keyId, version: kek.version, wrapped: wrapDataKey(kek, dataKey, context) };
  }

  async unwrap(wrapped: WrappedKey, context: WrapContext): Promise<Buffer> {
    if (wrapped.keyId !== this.file.keyId) throw new KeyUnavailableError('wrapped under another key file');
    if (!this.keys.has(wrapped.version) && !this.isRetired(wrapped.version)) await this.reload();
    const kek = this.keys.get(wrapped.version);
    if (!kek)
      throw new KeyUnavailableError(`key-encryption key version ${wrapped.version} is unknown or retired`);
    return unwrapDataKey(kek, wrapped.wrapped, context);
  }

  async rotate(): Promise<{ keyId: string; version: number }> {
    return this.change((file) => {
      const version = Math.max(...file.versions.map((v) => v.version)) + 1;
      const createdAt = this.now().toISOString();
      return {
        ...file,
        current: version,
        versions: [...file.versions, { version, key: newKek(), createdAt, retiredAt: null }],
      };
    }).then(() => this.current());
  }

  async retire(version: number): Promise<void> {
    await this.change((file) => {
      if (version === file.current) throw new KeyFileError(`version ${version} is current; rotate first`);
      if (!file.versions.some((v) => v.version === version)) throw new KeyFileError(`no version ${version}`);
      const retiredAt = this.now().toISOString();
      return {
        ...file,
        versions: file.versions.map((v) =>
          v.version === version && v.retiredAt === null ? { version, createdAt: v.createdAt, retiredAt } : v,
        ),
      };
    });
  }

  versions(): KeyVersion[] {
    return this.file.versions.map((v) => ({
      version: v.version,
      createdAt: v.createdAt,
      retired: v.retiredAt !== null,
      current: v.version === this.file.current,
    }));
  }

  /** Re-reads the file (another process may have rotated or retired); concurrent callers share one read. */
  reload(): Promise<void> {
    this.reloading ??= (async () => {
      try {
        const seen = await fingerprint(this.path);
        const file = await readKeyFile(this.path);
        if (!file) throw new KeyFileError(`document key file ${this.path} is missing (DOCUMENT_KEY_FILE)`);
        this.adopt(file, seen);
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  /** Read, change and write the file under its lock, from what is on disk now rather than what this process saw. */
  private async change(edit: (file: KeyFile) => KeyFile): Promise<void> {
    await withKeyFileLock(this.path, async () => {
      const onDisk = await readKeyFile(this.path);
      if (!onDisk) throw new KeyFileError(`document key file ${this.path} is missing (DOCUMENT_KEY_FILE)`);
      this.assertSameKey(onDisk);
      await replaceKeyFile(this.path, edit(onDisk));
    });
    await this.reload();
  }

  private adopt(file: KeyFile, seen: string): void {
    this.assertSameKey(file);
    const keys = new Map<number, KekVersion>();
    for (const v of file.versions)
      if (v.key)
        keys.set(v.version, { keyId: file.keyId, version: v.version, key: Buffer.from(v.key, 'base64') });
    this.file = file;
    this.keys = keys;
    this.seen = seen;
  }

  /** Another key id is another key file swapped in: every stored data key would become unreadable. */
  private assertSameKey(file: KeyFile): void {
    if (file.keyId !== this.file.keyId)
      throw new KeyFileError(
        `document key file ${this.path} now holds another key (keyId changed); not used`,
      );
  }

  private isRetired(version: number): boolean {
    return this.file.versions.some((v) => v.version === version && v.retiredAt !== null);
  }
}

/** Changes whenever the file is replaced (rename gives a new inode) or rewritten in place. */
async function fingerprint(path: string): Promise<string> {
  const s = await stat(path, { bigint: true });
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`;
}
