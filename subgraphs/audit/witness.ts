// The witness: every checkpoint also written outside the database, one JSON line each, so that a database superuser
// who rewrites history and re-signs it with the key is still caught (issue #10 item 6). A checkpoint is written
// twice: `prepared`, fsynced before the database commits it, and `committed` after. A prepared line the database
// does not have is a commit that failed; a committed one it does not have was removed.
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SignedCheckpoint } from './checkpoint.ts';

export interface WitnessLine extends SignedCheckpoint {
  phase: 'prepared' | 'committed';
}

export interface WitnessContents {
  lines: WitnessLine[];
  /** 1-based numbers of lines that are not a checkpoint. */
  unreadable: number[];
}

/** Appends the line and waits for it to be on disk (fsync), the folder too when the file is new. */
export async function appendWitness(file: string, line: WitnessLine): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const handle = await open(file, 'a', 0o600);
  try {
    const isNew = (await handle.stat()).size === 0;
    await handle.write(`${JSON.stringify(line)}\n`);
    await handle.sync();
    if (isNew) await syncFolder(dirname(file));
  } finally {
    await handle.close();
  }
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch {
    // Some platforms cannot fsync a folder; the file itself is synced.
  } finally {
    await handle.close();
  }
}

/** The witness's lines; a missing file is an empty witness. */
export async function readWitness(file: string): Promise<WitnessContents> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], unreadable: [] };
    throw error;
  }
  const contents: WitnessContents = { lines: [], unreadable: [] };
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const line = parseLine(raw);
    if (line) contents.lines.push(line);
    else contents.unreadable.push(i + 1);
  });
  return contents;
}

function parseLine(raw: string): WitnessLine | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const v = value as Partial<WitnessLine>;
  const ok =
    typeof v === 'object' &&
    v !== null &&
    Number.isSafeInteger(v.treeSize) &&
    typeof v.rootHash === 'string' &&
    /^[0-9a-f]{64}$/.test(v.rootHash) &&
    typeof v.issuedAt === 'string' &&
    typeof v.keyId === 'string' &&
    typeof v.signature === 'string' &&
    (v.phase === 'prepared' || v.phase === 'committed');
  return ok ? (v as WitnessLine) : null;
}
