// The lint rule against SQL built from values (eslint/no-sql-interpolation.js, issue #14 item 4) catches what it
// is for, and lets constants through: run over sample code as `npm run lint` runs it, type information included.
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** An existing file of the project, so the type-aware parser has a program; its text is replaced by the sample. */
const HOST_FILE = `${ROOT}test/architecture/sql-interpolation-rule.test.ts`;

/** What this test reads of ESLint's answer (eslint's own types do not resolve under this tsconfig). */
interface LintMessage {
  ruleId: string | null;
  line: number;
}

async function findings(code: string): Promise<number[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const results = (await eslint.lintText(code, { filePath: HOST_FILE })) as { messages: LintMessage[] }[];
  return results[0]!.messages.filter((m) => m.ruleId === 'fiks/no-sql-interpolation').map((m) => m.line);
}

const PRELUDE = `
interface Db { query(text: string, params?: unknown[]): Promise<unknown[]> }
declare const db: Db;
declare const input: string;
const COLUMNS = 'id, name';
const WHERE = \`name = $1 and \${'id'} = $2\`;
export {};
`;

describe('lint / SQL built from values', () => {
  it('reports a value spliced into a statement, by template, concatenation or variable', async () => {
    const code = `${PRELUDE}
void db.query(\`select * from t where name = '\${input}'\`);
void db.query('select * from t where name = ' + input);
let statement = 'select 1';
statement += input;
void db.query(statement);
`;
    expect(await findings(code)).toHaveLength(3);
  }, 60_000);

  it('lets constants, constants built from constants and parameters through, and ignores RegExp exec', async () => {
    const code = `${PRELUDE}
void db.query(\`select \${COLUMNS} from t where \${WHERE}\`, [input, input]);
void db.query('select * from t where id = $1', [input]);
void /a(b)/.exec(input);
`;
    expect(await findings(code)).toEqual([]);
  }, 60_000);
});
