// A stand-in of npm's advisory service on loopback, for the dependency audit's end-to-end test
// (test/security/dependency-audit-npm.test.ts). It answers the one endpoint npm 11 asks — arborist's audit-report.js
// POSTs `/-/npm/v1/security/advisories/bulk` with a gzip-compressed `{ "<package>": ["<version>", …] }` and has no
// fallback to the older quick-audit endpoint — with `{ "<package>": [advisory, …] }` for the packages it was asked
// about, as the real service does.
//
// npm is also given it as its proxy, so every request npm makes arrives here with the address it was meant for:
// anything not meant for the stand-in itself is refused and recorded in `elsewhere`, which the test expects empty.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Severity } from '../../platform/dependency-audit.ts';

const BULK_ADVISORIES = '/-/npm/v1/security/advisories/bulk';

/** One advisory as the bulk endpoint answers it. */
export interface BulkAdvisory {
  id: number;
  url: string;
  title: string;
  severity: Severity;
  vulnerable_versions: string;
  cwe: string[];
  cvss: { score: number; vectorString: string | null };
}

export interface AdvisoryServiceOptions {
  /** The advisories known per package name. */
  advisories?: Record<string, BulkAdvisory[]>;
  /** Answer the bulk endpoint with this status instead (this workplace's registry answers 405). */
  refuseWith?: number;
}

export interface AdvisoryService {
  /** The registry URL to give npm (and its proxy). */
  url: string;
  /** The body of each bulk request: package name → the versions npm asked about. */
  asked: Record<string, string[]>[];
  /** Requests npm meant for any other address (refused). */
  elsewhere: string[];
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? promisify(gunzip)(body) : body;
}

export async function startAdvisoryService(options: AdvisoryServiceOptions = {}): Promise<AdvisoryService> {
  const asked: Record<string, string[]>[] = [];
  const elsewhere: string[] = [];
  let self = '';
  const server = createServer((request, response) => {
    void (async () => {
      // Through a proxy the request line carries the whole URL; asked directly, only the path.
      const target = new URL(request.url ?? '/', `http://${request.headers.host ?? self}`);
      if (target.host !== self) {
        elsewhere.push(`${request.method} ${target.href}`);
        response.writeHead(502).end();
        return;
      }
      if (request.method === 'POST' && target.pathname === BULK_ADVISORIES) {
        const body = JSON.parse((await bodyOf(request)).toString('utf8')) as Record<string, string[]>;
        asked.push(body);
        if (options.refuseWith) {
          response.writeHead(options.refuseWith, { 'content-type': 'text/plain' }).end('Method Not Allowed');
          return;
        }
        const known = options.advisories ?? {};
        const answer = Object.fromEntries(
          Object.keys(body)
            .filter((name) => known[name])
            .map((name) => [name, known[name]]),
        );
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        return;
      }
      // Packuments: npm asks for those of advisories' packages and their dependents to work out fixes. Without one
      // npm treats the package as not from the registry and takes the advisory's vulnerable_versions as they are,
      // which is what the gate reads; no fix is offered, which the gate does not read.
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
    })().catch(() => response.writeHead(400).end());
  });
  // HTTPS through a proxy begins with CONNECT: never meant for the stand-in.
  server.on('connect', (request: IncomingMessage, socket) => {
    elsewhere.push(`CONNECT ${request.url ?? ''}`);
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${self}/`,
    asked,
    elsewhere,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
