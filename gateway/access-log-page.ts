// The citizen's access log at `/access-log` (issue #10 item 10): who accessed the logged-in person's data, and each
// event's inclusion proof checked in the browser with WebCrypto against the signed checkpoint, so the person need
// not trust the database (docs/AUDIT-LOG.md, "Inclusion proofs"). Served from our own origin like the explorer: no
// third-party script, no inline script.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const asset = (name: string) => readFileSync(new URL(`./access-log-page/${name}`, import.meta.url), 'utf8');
const HTML = asset('index.html');
const SCRIPTS: Record<string, string> = {
  '/access-log.js': asset('access-log.js'),
  '/audit-proof.js': asset('audit-proof.js'),
};

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; " +
  "img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

export function registerAccessLogPage(app: FastifyInstance): void {
  app.get('/access-log', (_, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      // The page lists who read a person's data: never from a shared cache.
      .header('cache-control', 'no-store')
      .send(HTML),
  );
  for (const [path, script] of Object.entries(SCRIPTS))
    app.get(path, (_, reply) =>
      reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('x-content-type-options', 'nosniff')
        .send(script),
    );
}
