// A small query page at `/`, served from our own origin with no third-party scripts, so a newcomer can run the
// README's example in a browser. (Apollo's default landing page loads its explorer from Apollo's CDN; the platform
// never sends its users' browsers elsewhere.)
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const asset = (name: string) => readFileSync(new URL(`./query-page/${name}`, import.meta.url), 'utf8');
const HTML = asset('index.html');
const SCRIPT = asset('query-page.js');

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; " +
  "img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

export function registerQueryPage(app: FastifyInstance): void {
  app.get('/', (_, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(HTML),
  );
  app.get('/query-page.js', (_, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('x-content-type-options', 'nosniff')
      .send(SCRIPT),
  );
}
