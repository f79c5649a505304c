// npm run compose: writes schema/supergraph.graphql from the subgraph SDL files.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SUPERGRAPH_FILE, composeSupergraph } from '../schema/compose.ts';

try {
  writeFileSync(SUPERGRAPH_FILE, composeSupergraph());
  console.log(`wrote ${fileURLToPath(SUPERGRAPH_FILE)}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
