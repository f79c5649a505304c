// docs/THREAT-MODEL.md names, for each threat, the code that mitigates it and the test that proves it. This keeps
// those names true: a test renamed or deleted, or a file moved, fails here rather than leaving a threat silently
// unproven (issue #14 item 1).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODEL = readFileSync(`${ROOT}docs/THREAT-MODEL.md`, 'utf8');

/** `test/…test.ts` › "name" */
const TEST_REFERENCE = /`(test\/[^`]+?\.test\.ts)` › "([^"]+)"/g;
/** A backticked path into the code, e.g. `gateway/server.ts` or `gateway/altinn/`. */
const CODE_REFERENCE =
  /`((?:access|auditlog|bin|common|db|eslint|gateway|platform|schema|simulators|subgraphs)\/[^`\s]*)`/g;

const testReferences = [...MODEL.matchAll(TEST_REFERENCE)].map(([, file, name]) => ({
  file: file!,
  name: name!,
}));
const codeReferences = [...new Set([...MODEL.matchAll(CODE_REFERENCE)].map(([, path]) => path!))];
const tableRows = MODEL.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| ---'));

describe('docs/THREAT-MODEL.md', () => {
  it('names tests and code at all (the patterns below still match how it writes them)', () => {
    expect(testReferences.length).toBeGreaterThan(60);
    expect(codeReferences.length).toBeGreaterThan(40);
  });

  it('names only tests that exist, under the names it gives', () => {
    const missing = testReferences.filter(({ file, name }) => {
      const path = `${ROOT}${file}`;
      return !existsSync(path) || !readFileSync(path, 'utf8').includes(name);
    });
    expect(missing).toEqual([]);
  });

  it('names only code that exists', () => {
    expect(codeReferences.filter((path) => !existsSync(`${ROOT}${path}`))).toEqual([]);
  });

  it('proves every threat it calls mitigated with a test, and states the risk of every other', () => {
    const status = (row: string) => row.split('|').at(-2)?.trim() ?? '';
    const names = (row: string) => /`test\/[^`]+?\.test\.ts` › "[^"]+"/.test(row);
    const threats = tableRows.filter((row) => /^(mitigated|partial|open)\b/.test(status(row)));
    expect(threats.length).toBeGreaterThan(40);
    expect(threats.filter((row) => status(row) === 'mitigated' && !names(row))).toEqual([]);
    expect(threats.filter((row) => status(row) !== 'mitigated' && !/risk/.test(status(row)))).toEqual([]);
  });
});
