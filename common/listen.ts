// Opens a listening HTTP server before the app that will serve it exists, so its address can be handed to those
// who must know it first (the identity provider registers the gateway's callback URL).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function listenEarly(host: string, port: number): Promise<{ server: Server; url: string }> {
  // As fastify's own servers (bin/gateway.ts): no whole-request deadline, which would cut a large document upload at
  // Node's default 5 minutes; the upload has its own (DOCUMENT_UPLOAD_MAX_SECONDS), headers keep Node's 60 s.
  const server = createServer({ requestTimeout: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${shownHost}:${address.port}` };
}
