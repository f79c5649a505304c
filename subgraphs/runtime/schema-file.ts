import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';

/** The SDL of one subgraph, from schema/<name>.graphql (the file composition reads too). */
export function loadSubgraphSdl(name: string): DocumentNode {
  return parse(readFileSync(new URL(`../../schema/${name}.graphql`, import.meta.url), 'utf8'));
}
