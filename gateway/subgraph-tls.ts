// How the gateway speaks TLS to subgraphs that serve HTTPS (SUBGRAPH_TLS_CERT_FILE on their side): it trusts only the
// authorities in SUBGRAPH_CA_FILE — a platform's own CA, not every public one — else the system's, and, when the
// subgraphs ask for one (SUBGRAPH_CLIENT_CA_FILE on their side), presents its own certificate
// (SUBGRAPH_CLIENT_CERT_FILE, SUBGRAPH_CLIENT_KEY_FILE). Read once at start, and used by every way the gateway
// reaches a subgraph: GraphQL calls (subgraph-http.ts), the streamed routes (subgraph-stream.ts: document content,
// audit export) and /readyz.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Agent, fetch as undiciFetch } from 'undici';

/** node:tls options for connections to subgraphs (PEM text); empty: the system's authorities, no certificate. */
export interface SubgraphTls {
  ca?: string;
  cert?: string;
  key?: string;
}

export function readSubgraphTls(files: {
  caFile: string | undefined;
  clientCertFile: string | undefined;
  clientKeyFile: string | undefined;
}): SubgraphTls {
  const read = (file: string | undefined) => (file === undefined ? undefined : readFileSync(file, 'utf8'));
  const tls: SubgraphTls = {
    ca: read(files.caFile),
    cert: read(files.clientCertFile),
    key: read(files.clientKeyFile),
  };
  // Only what is set: an undefined `ca` would still replace the system's authorities in some clients.
  return Object.fromEntries(Object.entries(tls).filter(([, value]) => value !== undefined));
}

/** A keep-alive agent for a streamed route to the subgraph at `url`, speaking its URL's protocol. */
export function subgraphAgent(url: URL | string, tls: SubgraphTls = {}): http.Agent {
  return new URL(url).protocol === 'https:'
    ? new https.Agent({ keepAlive: true, ...tls })
    : new http.Agent({ keepAlive: true });
}

/** What /readyz asks a subgraph's own /readyz with: global fetch, or undici's with the configured TLS options. */
export function subgraphReadinessFetch(
  tls: SubgraphTls = {},
): (url: string, signal: AbortSignal) => Promise<Response> {
  if (Object.keys(tls).length === 0) return (url, signal) => fetch(url, { signal });
  const dispatcher = new Agent({ connect: { ...tls } });
  return (url, signal) => undiciFetch(url, { signal, dispatcher });
}
