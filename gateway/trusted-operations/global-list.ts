// The global list: every *.json manifest in one folder (schema/operations/ by default), loaded at start and again
// when a file is added, changed or removed. The check is a stat of the folder's files at most once per interval,
// made by the request that finds the interval passed: no watcher to leak, and it works the same on every file system.
// A folder that cannot be loaded at start stops the gateway (fail closed); a bad change later keeps the last good
// list and says so in the log, so a half-written file never empties the list under running clients.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../common/logger.ts';
import { parseManifest } from './manifest.ts';
import { buildOperationList, EMPTY_LIST, type LimitCeiling, type OperationList } from './operation-list.ts';

export interface GlobalListOptions {
  directory: string;
  /** Least time between two looks at the folder; 0 looks at every request. */
  checkIntervalMs: number;
  ceiling: LimitCeiling;
  logger: Logger;
  now?: () => number;
}

export interface GlobalList {
  /** The current list, reloaded first when the folder has changed. */
  current(): OperationList;
}

/** The manifests in the folder, in name order; undefined when the folder cannot be read. */
function manifestNames(directory: string): string[] | undefined {
  try {
    return readdirSync(directory)
      .filter((name) => name.endsWith('.json'))
      .sort();
  } catch {
    return undefined;
  }
}

/** What the folder holds, cheaply: names, sizes and modification times of its manifests. */
function signatureOf(directory: string): string {
  const names = manifestNames(directory);
  if (!names) return '';
  return names
    .map((name) => {
      const stat = statSync(join(directory, name), { throwIfNoEntry: false });
      return stat ? `${name}:${stat.size}:${stat.mtimeMs}` : name;
    })
    .join('|');
}

function load(directory: string, ceiling: LimitCeiling): OperationList {
  const operations = [];
  const names = manifestNames(directory);
  if (!names) return EMPTY_LIST;
  for (const name of names) {
    try {
      operations.push(...parseManifest(JSON.parse(readFileSync(join(directory, name), 'utf8'))));
    } catch (error) {
      throw new Error(
        `trusted operations: ${name}: ${error instanceof Error ? error.message : 'unreadable'}`,
        {
          cause: error,
        },
      );
    }
  }
  return buildOperationList(operations, ceiling);
}

export function createGlobalList(options: GlobalListOptions): GlobalList {
  const now = options.now ?? Date.now;
  let signature = signatureOf(options.directory);
  let list = load(options.directory, options.ceiling);
  let checkedAt = now();
  options.logger.info({ operations: list.byId.size }, 'global trusted operations loaded');
  return {
    current() {
      if (now() - checkedAt < options.checkIntervalMs) return list;
      checkedAt = now();
      const seen = signatureOf(options.directory);
      if (seen === signature) return list;
      signature = seen;
      try {
        list = load(options.directory, options.ceiling);
        options.logger.info({ operations: list.byId.size }, 'global trusted operations reloaded');
      } catch (error) {
        options.logger.error(
          { err: error },
          'global trusted operations not reloaded; the last good list stays',
        );
      }
      return list;
    },
  };
}
