// The gateway's subgraph client before undici (gateway/subgraph-http.ts at commit a811d72): node:http with a
// keep-alive Agent, a connect timeout and one deadline, the answer handed over as a WHATWG Response. Kept only so
// that bench/subgraph-client-cost.ts can compare it with what replaced it.
import http from 'node:http';
import https from 'node:https';
import {
  SubgraphCallError,
  type SubgraphFailure,
  type SubgraphFetch,
  type SubgraphHttpOptions,
} from '../gateway/subgraph-http.ts';

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

export function createNodeHttpSubgraphFetch(options: SubgraphHttpOptions): SubgraphFetch {
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
