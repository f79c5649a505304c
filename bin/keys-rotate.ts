// npm run keys:rotate: rotates the document store's key-encryption key (docs/DOCUMENT-ENCRYPTION.md). By default it
// adds a new KEK version and re-wraps every data key under it, one line per batch; content is not touched.
//   --resume         re-wrap to the current version without adding one (after a stopped run)
//   --retire-unused  afterwards, remove the key material of every version that wraps no data key any more
//   --status         only print the versions and how many data keys each wraps
// It prints versions, counts and document ids, never key material. Exit 0 when done, 1 when some data keys did not
// unwrap (listed), 2 when it could not run. With embedded PGlite, stop the platform first (one process at a time).
import { ConfigError, loadConfig } from '../common/config.ts';
import { openDatabase } from '../db/database.ts';
import { openFileKeyEncryptionKeys } from '../subgraphs/documents/keys/file-key-encryption-keys.ts';
import type { RotatableKeyEncryptionKeys } from '../subgraphs/documents/keys/key-encryption-keys.ts';
import { KeyFileError } from '../subgraphs/documents/keys/key-file.ts';
import { retireUnused, rotateKeys } from '../subgraphs/documents/keys/rotate-keys.ts';
import {
  SqlWrappedKeyRepository,
  type WrappedKeyRepository,
} from '../subgraphs/documents/keys/wrapped-key-repository.ts';

const FLAGS = ['--resume', '--retire-unused', '--status'] as const;
type Flag = (typeof FLAGS)[number];

async function printStatus(
  keys: RotatableKeyEncryptionKeys,
  repository: WrappedKeyRepository,
): Promise<void> {
  const { keyId } = keys.current();
  const counts = await repository.countByVersion();
  console.log(`key ${keyId}`);
  for (const v of keys.versions()) {
    const count = counts.find((c) => c.keyId === keyId && c.version === v.version)?.count ?? 0;
    const state = v.current ? 'current' : v.retired ? 'retired' : 'kept';
    console.log(`  version ${v.version} (${state}, created ${v.createdAt}): wraps ${count} data keys`);
  }
  for (const c of counts.filter(
    (c) => c.keyId !== keyId || !keys.versions().some((v) => v.version === c.version),
  ))
    console.log(
      `  ${c.count} data keys wrapped under key ${c.keyId} version ${c.version}, which this file lacks`,
    );
}

async function main(args: string[]): Promise<number> {
  const unknown = args.filter((a) => !(FLAGS as readonly string[]).includes(a));
  if (unknown.length > 0) {
    console.error(`unknown argument ${unknown[0]}; usage: keys:rotate [${FLAGS.join('] [')}]`);
    return 2;
  }
  const flag = (name: Flag) => args.includes(name);
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : 'invalid configuration');
    return 2;
  }
  let keys;
  try {
    // Status only looks: it never makes a key file that would wrap nothing already stored.
    const create = config.documents.createKeyFile && !flag('--status');
    keys = await openFileKeyEncryptionKeys(config.documents.keyFile, { create });
  } catch (error) {
    if (!(error instanceof KeyFileError)) throw error;
    console.error(error.message);
    return 2;
  }
  const db = await openDatabase(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl }
      : { kind: 'pglite', dir: config.pgliteDir },
  );
  try {
    const repository = new SqlWrappedKeyRepository(db);
    if (flag('--status')) {
      await printStatus(keys, repository);
      return 0;
    }
    const result = await rotateKeys({
      keys,
      repository,
      newVersion: !flag('--resume'),
      onProgress: (p) => {
        const unreadable = p.unreadable.length > 0 ? `; did not unwrap: ${p.unreadable.join(', ')}` : '';
        console.log(
          `batch ${p.batch}: ${p.rewrapped} re-wrapped to version ${p.version}, ${p.skipped} skipped${unreadable}`,
        );
      },
    });
    console.log(
      `version ${result.version} is current: ${result.rewrapped} data keys re-wrapped, ` +
        `${result.skipped} skipped (changed or deleted meanwhile), ${result.unreadable} did not unwrap`,
    );
    if (flag('--retire-unused')) {
      const retired = await retireUnused(keys, repository);
      console.log(retired.length > 0 ? `retired versions ${retired.join(', ')}` : 'no version to retire');
    }
    return result.unreadable > 0 ? 1 : 0;
  } finally {
    await db.close();
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  // A key file's messages name the file and the problem, never its content.
  if (error instanceof KeyFileError) {
    console.error(error.message);
    return 2;
  }
  // Only a name and code: a database error's detail can quote a row.
  const code = (error as { code?: unknown } | null)?.code;
  const name = error instanceof Error ? error.name : 'error';
  console.error(`could not rotate the document keys (${typeof code === 'string' ? code : name})`);
  return 2;
});
