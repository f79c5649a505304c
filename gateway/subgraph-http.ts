// How the gateway reaches a subgraph over HTTP: node:http with keep-alive, a connect timeout, and one deadline for
// the whole answer (connecting, waiting, reading). Node's global fetch cannot bound the connect on its own — that
// takes an undici Agent, and the undici package is not installed — while node:http gives both bounds and says
// exactly what failed. The answer is handed to Apollo's RemoteGraphQLDataSource as a WHATWG Response.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

/** What went wrong on the way to a subgraph; logged, never shown to the caller. */
export type SubgraphFailure =
  | 'connect timeout'
  | 'response timeout'
  | 'connection refused'
  | 'connection reset'
  | 'name not resolved'
  | 'network error'
  | 'bad status'
  | 'bad body';

export class SubgraphCallError extends Error {
  override name = 'SubgraphCallError';
  constructor(
    readonly failure: SubgraphFailure,
    options?: { cause?: unknown },
  ) {
    super(failure, options);
  }
}

export interface SubgraphHttpOptions {
  /** Longest wait for a new connection. */
  connectTimeoutMs: number;
  /** Longest wait for the whole answer, connecting included. */
  timeoutMs: number;
  /** Name resolution, part of connecting. @default dns.lookup */
  lookup?: LookupFunction;
}

export interface SubgraphRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export type SubgraphFetch = (url: string, init: SubgraphRequestInit) => Promise<Response>;

const NETWORK_FAILURES: Record<string, SubgraphFailure> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ENOTFOUND: 'name not resolved',
  EAI_AGAIN: 'name not resolved',
  ETIMEDOUT: 'connect timeout',
};

/** Statuses a Response cannot carry a body with (Fetch standard, "null body status"). */
const NULL_BODY = new Set([204, 205, 304]);

export function createSubgraphFetch(options: SubgraphHttpOptions): SubgraphFetch {
  const agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const request = (secure ? https : http).request(target, {
        method: init.method ?? 'POST',
        headers: init.headers,
        agent: secure ? agents.https : agents.http,
        ...(options.lookup ? { lookup: options.lookup } : {}),
      });
      let settled = false;
      const deadline = setTimeout(() => fail('response timeout'), options.timeoutMs);
      function fail(failure: SubgraphFailure, cause?: unknown) {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        request.destroy();
        reject(new SubgraphCallError(failure, { cause }));
      }
      function networkFailure(error: NodeJS.ErrnoException) {
        fail(NETWORK_FAILURES[error.code ?? ''] ?? 'network error', error);
      }

      request.on('socket', (socket) => {
        // A reused keep-alive socket is connected already; only a new one can hang in connecting.
        if (!socket.connecting) return;
        const connectTimer = setTimeout(() => fail('connect timeout'), options.connectTimeoutMs);
        socket.once('connect', () => clearTimeout(connectTimer));
        socket.once('close', () => clearTimeout(connectTimer));
      });
      request.on('error', networkFailure);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', networkFailure);
        response.on('aborted', () => fail('connection reset'));
        response.on('end', () => {
          if (settled) return;
          const status = response.statusCode ?? 0;
          let answer: Response;
          try {
            const headers = new Headers();
            const raw = response.rawHeaders;
            for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
            answer = new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks), {
              status,
              statusText: response.statusMessage,
              headers,
            });
          } catch (error) {
            // A status or header a Response cannot hold (e.g. 1xx, 600) is no GraphQL answer.
            return fail('bad status', error);
          }
          settled = true;
          clearTimeout(deadline);
          resolve(answer);
        });
      });
      request.end(init.body);
    });
}
