// Composes the four subgraph SDL files into the supergraph the gateway serves. `npm run compose` writes it to
// schema/supergraph.graphql (checked in); a test fails when that file is stale or composition reports errors.
import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPH_NAMES } from '../common/subgraph-names.ts';

export { SUPERGRAPH_FILE } from './supergraph-file.ts';

/** The URLs written into the supergraph; the gateway overrides them from configuration by subgraph name. */
const DEFAULT_PORTS = { organizations: 4001, integrations: 4002, documents: 4003, audit: 4004 } as const;

export function composeSupergraph(): string {
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({
      name,
      url: `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`,
      typeDefs: parse(readFileSync(new URL(`./${name}.graphql`, import.meta.url), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `  ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
