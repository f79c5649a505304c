// Prints the README's configuration table from common/config.ts, so the two cannot drift apart.
import { VARIABLES } from '../common/config.ts';

console.log('| variable | default | meaning |');
console.log('| --- | --- | --- |');
for (const [name, v] of Object.entries(VARIABLES)) {
  const fallback = 'default' in v && v.default !== undefined ? `\`${v.default}\`` : '(unset)';
  console.log(`| \`${name}\` | ${fallback} | ${v.description} |`);
}
