// How the gateway reaches a subgraph over HTTP: undici's Pool (keep-alive connections per origin) with a connect
// timeout and one deadline for the whole answer (connecting, waiting, reading). Chosen by measurement
// (bench/subgraph-client-cost.ts, figures in bench/README.md): a quarter to a third less CPU per call than node:http
// with a keep-alive Agent, which it replaced, and about a third of global fetch's. The answer is handed to Apollo's
// RemoteGraphQLDataSource as a WHATWG Response; every failure is one SubgraphFailure, the cause kept for the log.
import { Socket, type LookupFunction } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { buildConnector, errors, Pool, type Dispatcher } from 'undici';
import type { SubgraphTls } from './subgraph-tls.ts';

/** What went wrong on the way to a subgraph; logged, never shown to the caller. */
export type SubgraphFailure =
  | 'connect timeout'
  | 'response timeout'
  | 'connection refused'
  | 'connection reset'
  | 'name not resolved'
  | 'certificate refused'
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
  /** TLS to https subgraphs: the authorities trusted, the gateway's own certificate (subgraph-tls.ts). */
  tls?: SubgraphTls;
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
  // undici's SocketError: the other side closed the connection, or reset it, before the answer was whole.
  UND_ERR_SOCKET: 'connection reset',
  ENOTFOUND: 'name not resolved',
  EAI_AGAIN: 'name not resolved',
  ETIMEDOUT: 'connect timeout',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'response timeout',
  UND_ERR_BODY_TIMEOUT: 'response timeout',
  // The subgraph's certificate is not one the gateway trusts (SUBGRAPH_CA_FILE), or not for its name.
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate refused',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate refused',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate refused',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'certificate refused',
  CERT_HAS_EXPIRED: 'certificate refused',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate refused',
  // The subgraph refused the gateway's certificate, or wanted one and got none.
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'certificate refused',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'certificate refused',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'certificate refused',
  // A plain-HTTP server answering a TLS hello, or the reverse.
  ERR_SSL_WRONG_VERSION_NUMBER: 'network error',
};

/** Statuses a Response cannot carry a body with (Fetch standard, "null body status"). */
const NULL_BODY = new Set([204, 205, 304]);

function failureOf(error: unknown): SubgraphFailure {
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && NETWORK_FAILURES[code]) || 'network error';
}

/**
 * undici's connector with our connect timeout. undici's own (`connect.timeout`) runs on its coarse timers, which
 * fire up to a second late; this one fires when it says. Connecting includes the name lookup and, for https, the
 * TLS handshake.
 */
function connectorWithTimeout(options: SubgraphHttpOptions): buildConnector.connector {
  const connect = buildConnector({
    timeout: 0,
    ...(options.lookup ? { lookup: options.lookup } : {}),
    ...options.tls,
  });
  return (target, callback) => {
    let done = false;
    const finish: buildConnector.Callback = (...args) => {
      if (done) {
        // Connected after all, but too late: nobody waits for this socket.
        args[1]?.destroy();
        return;
      }
      done = true;
      clearTimeout(timer);
      callback(...args);
    };
    // undici's connector always answers later, never within this call, so `timer` is set by the time finish runs.
    const connecting: unknown = connect(target, finish);
    const timer = setTimeout(() => {
      // Typed as returning nothing, undici's connector returns the socket it is connecting: end it now.
      if (connecting instanceof Socket) connecting.destroy();
      finish(new errors.ConnectTimeoutError(), null);
    }, options.connectTimeoutMs);
  };
}

export function createSubgraphFetch(options: SubgraphHttpOptions): SubgraphFetch {
  // One pool per subgraph origin, made on its first call and kept (as the keep-alive Agents were).
  const pools = new Map<string, Pool>();
  const connect = connectorWithTimeout(options);
  function poolFor(origin: string): Pool {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connect,
        // undici's own bounds on waiting for the headers and between body chunks; the deadline below is the one
        // that counts, these only make sure nothing outlives it.
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      pools.set(origin, pool);
    }
    return pool;
  }

  // undici's dispatch with a handler of our own rather than its `request()`: no AbortSignal, body stream or extra
  // promise per call. request() with an AbortSignal and a deadline race measured hardly cheaper than node:http
  // (bench/README.md).
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      let settled = false;
      let exchange: Dispatcher.DispatchController | undefined;
      let status = 0;
      let statusText = '';
      let received: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      const deadline = setTimeout(() => fail('response timeout'), options.timeoutMs);
      function fail(failure: SubgraphFailure, cause?: unknown) {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        // A request still waiting for its connection is aborted when it gets one (onRequestStart).
        exchange?.abort(new SubgraphCallError(failure));
        reject(new SubgraphCallError(failure, { cause }));
      }
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(controller) {
          exchange = controller;
          if (settled) controller.abort(new SubgraphCallError('response timeout'));
        },
        onResponseStart(_controller, statusCode, headers, statusMessage) {
          status = statusCode;
          received = headers;
          statusText = statusMessage ?? '';
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          if (settled) return;
          let answer: Response;
          try {
            const headers = new Headers();
            for (const [name, value] of Object.entries(received)) {
              for (const one of Array.isArray(value) ? value : [value])
                if (one !== undefined) headers.append(name, one);
            }
            answer = new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks), {
              status,
              statusText,
              headers,
            });
          } catch (error) {
            // A status or header a Response cannot hold (e.g. 1xx, 600) is no GraphQL answer.
            return fail('bad status', error);
          }
          settled = true;
          clearTimeout(deadline);
          resolve(answer);
        },
        onResponseError(_controller, error) {
          fail(failureOf(error), error);
        },
      };
      try {
        poolFor(target.origin).dispatch(
          {
            path: `${target.pathname}${target.search}`,
            method: init.method ?? 'POST',
            headers: init.headers,
            body: init.body,
          },
          handler,
        );
      } catch (error) {
        fail(failureOf(error), error);
      }
    });
}
