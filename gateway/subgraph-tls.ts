// How the gateway trusts subgraphs that serve HTTPS (SUBGRAPH_TLS_CERT_FILE on their side): with SUBGRAPH_CA_FILE,
// only the authorities in that file — a platform's own CA, not every public one — else the system's. Read once at
// start, and used by every way the gateway reaches a subgraph: GraphQL calls (subgraph-http.ts), the streamed
// routes (subgraph-stream.ts: document content, audit export) and /readyz.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Agent, fetch as undiciFetch } from 'undici';

/** The trusted authorities (PEM), or undefined for the system's. */
export type SubgraphCa = string | undefined;

export function readSubgraphCa(caFile: string | undefined): SubgraphCa {
  return caFile === undefined ? undefined : readFileSync(caFile, 'utf8');
}

/** A keep-alive agent for a streamed route to the subgraph at `url`, speaking its URL's protocol. */
export function subgraphAgent(url: URL | string, ca: SubgraphCa): http.Agent {
  return new URL(url).protocol === 'https:'
    ? new https.Agent({ keepAlive: true, ...(ca === undefined ? {} : { ca }) })
    : new http.Agent({ keepAlive: true });
}

/** What /readyz asks a subgraph's own /readyz with: global fetch, or undici's with only the configured CA. */
export function subgraphReadinessFetch(
  ca: SubgraphCa,
): (url: string, signal: AbortSignal) => Promise<Response> {
  if (ca === undefined) return (url, signal) => fetch(url, { signal });
  const dispatcher = new Agent({ connect: { ca } });
  return (url, signal) => undiciFetch(url, { signal, dispatcher });
}
