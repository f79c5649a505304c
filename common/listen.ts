// Opens a listening HTTP(S) server before the app that will serve it exists, so its address can be handed to those
// who must know it first (the identity provider registers the gateway's callback URL). Given a certificate and key
// (TLS_CERT_FILE, TLS_KEY_FILE) it serves HTTPS, and its URL says so.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** PEM files of the server's certificate (chain) and private key. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export async function listenEarly(
  host: string,
  port: number,
  tls?: TlsFiles,
): Promise<{ server: Server; url: string }> {
  // As fastify's own servers (bin/gateway.ts): no whole-request deadline, which would cut a large document upload at
  // Node's default 5 minutes; the upload has its own (DOCUMENT_UPLOAD_MAX_SECONDS), headers keep Node's 60 s.
  const server = tls
    ? // An https.Server serves requests exactly as an http.Server (it is one over TLS sockets); fastify's
      // serverFactory and our callers use only that common surface (request events, listen, close).
      (createHttpsServer({
        requestTimeout: 0,
        cert: readFileSync(tls.certFile),
        key: readFileSync(tls.keyFile),
      }) as unknown as Server)
    : createServer({ requestTimeout: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `${tls ? 'https' : 'http'}://${shownHost}:${address.port}` };
}

/** Closes a server opened by listenEarly (fastify does not: it did not open it), cutting idle keep-alives. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
