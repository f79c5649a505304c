/** The composed supergraph, written by `npm run compose` and served by the gateway. */
export const SUPERGRAPH_FILE = new URL('./supergraph.graphql', import.meta.url);
