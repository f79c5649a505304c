/** The four subgraphs, by the name they carry in the supergraph (join__Graph) and in configuration. */
export const SUBGRAPH_NAMES = ['organizations', 'integrations', 'documents', 'audit'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export function isSubgraphName(name: string): name is SubgraphName {
  return (SUBGRAPH_NAMES as readonly string[]).includes(name);
}
