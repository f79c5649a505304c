// The explorer at /explorer: GraphiQL, bundled from npm into files the gateway serves itself (explorer/bundle.ts),
// so it works with no internet and sends the browser nowhere else. `/` leads there. The page runs operations as the
// person logged in through ID-porten (the session cookie), shows who that is through GET /auth/me (who-am-i.ts),
// and has its own strict CSP with a fresh nonce per response (explorer/page.ts) — set on these routes only, so a
// global security-header policy elsewhere neither loosens it nor is loosened by it.
import { createReadStream } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { refuse } from '../common/http-refusal.ts';
import { ensureExplorerBundle, type ExplorerBundle } from './explorer/bundle.ts';
import {
  ASSETS_PATH,
  ASSET_CSP,
  EXPLORER_PATH,
  explorerCsp,
  explorerHtml,
  newNonce,
} from './explorer/page.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
};

/** One build per process, shared by every gateway in it (tests start several); started when the first registers. */
let bundle: Promise<ExplorerBundle> | undefined;

function explorerBundle(app: FastifyInstance): Promise<ExplorerBundle> {
  if (!bundle) {
    bundle = ensureExplorerBundle();
    // Logged once, here; each request for the page then answers 503 without building again.
    bundle.catch((error: unknown) => app.log.error({ err: error }, 'explorer bundle could not be built'));
  }
  return bundle;
}

/** The client accepts gzip (RFC 9110 §12.5.3: a coding listed with q=0 is not acceptable). */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((entry) => {
    const [coding, ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    return coding === 'gzip' && (q === undefined || Number(q.slice(2)) > 0);
  });
}

function commonHeaders(reply: FastifyReply): FastifyReply {
  return reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
}

export function registerExplorer(app: FastifyInstance): void {
  const ready = explorerBundle(app);

  app.get('/', (_, reply) => reply.redirect(EXPLORER_PATH, 302));

  app.get(EXPLORER_PATH, async (request, reply) => {
    let current: ExplorerBundle;
    try {
      current = await ready;
    } catch {
      return refuse(reply, request, 503, 'SERVICE_UNAVAILABLE', 'The explorer is not available.');
    }
    const nonce = newNonce();
    return (
      commonHeaders(reply)
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', explorerCsp(nonce))
        .header('cross-origin-opener-policy', 'same-origin')
        // A nonce is good for one response: a cached page would reuse it.
        .header('cache-control', 'no-store')
        .send(explorerHtml(current, nonce))
    );
  });

  app.get<{ Params: { fingerprint: string; file: string } }>(
    `${ASSETS_PATH}/:fingerprint/:file`,
    async (request, reply) => {
      const { fingerprint, file } = request.params;
      let current: ExplorerBundle;
      try {
        current = await ready;
      } catch {
        return refuse(reply, request, 503, 'SERVICE_UNAVAILABLE', 'The explorer is not available.');
      }
      const type = CONTENT_TYPES[extname(file)];
      // Only a file of the bundle by its exact name: no other folder, no path in the name.
      if (fingerprint !== current.fingerprint || !current.files.has(file) || !type) {
        return refuse(reply, request, 404, 'NOT_FOUND', 'No such file.');
      }
      const gzip = current.files.has(`${file}.gz`) && acceptsGzip(request.headers['accept-encoding']);
      if (gzip) void reply.header('content-encoding', 'gzip');
      return (
        commonHeaders(reply)
          .header('content-type', type)
          .header('content-security-policy', ASSET_CSP)
          .header('vary', 'accept-encoding')
          // The fingerprint in the path changes whenever a file does.
          .header('cache-control', 'public, max-age=31536000, immutable')
          .send(createReadStream(join(current.dir, gzip ? `${file}.gz` : file)))
      );
    },
  );
}
