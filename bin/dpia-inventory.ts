// npm run dpia:inventory: writes the data inventory of docs/DPIA.md from the schema's @personalData markings
// (platform/personal-data-inventory.ts). `--check` writes nothing and exits 1 when the document is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { DPIA_FILE, expectedDpia } from '../platform/personal-data-inventory.ts';

const current = readFileSync(DPIA_FILE, 'utf8');
const expected = await expectedDpia(current);
if (process.argv.includes('--check')) {
  if (expected !== current) {
    console.error('docs/DPIA.md: the data inventory is stale; run `npm run dpia:inventory`');
    process.exit(1);
  }
  console.log('docs/DPIA.md: data inventory up to date');
} else {
  writeFileSync(DPIA_FILE, expected);
  console.log('docs/DPIA.md: data inventory written');
}
