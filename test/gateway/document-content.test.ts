// Document content at the gateway's door (issue #11 item 4): PUT/GET /documents/content/:ticket stream to and from
// the documents subgraph without being held, authenticated as /graphql is, bounded by DOCUMENT_MAX_BYTES, and a
// download can never render on the gateway's origin. The gateway is the real HTTP server (createGatewayServer, its
// authentication hook and the routes wired as gateway/index.ts wires them) with a stand-in authenticator and a
// trivial schema; the documents subgraph is a small node:http server here, so the test sees exactly what reaches it
// — the bytes, the caller token, and whether its request was cut.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ApolloServer } from '@apollo/server';
import type { FastifyInstance } from 'fastify';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFromClaims, callerTokenAudience } from '../../access/caller-token.ts';
import type { Principal } from '../../access/principal.ts';
import { createLogger } from '../../common/logger.ts';
import { AuthError } from '../../gateway/auth/auth-error.ts';
import type { Authenticator } from '../../gateway/auth/authenticate.ts';
import { createCallerTokenSigner, type CallerTokenSigner } from '../../gateway/caller-token-signer.ts';
import type { GatewayContext } from '../../gateway/context.ts';
import { downloadSafetyHeaders, registerDocumentContent } from '../../gateway/document-content.ts';
import { stepUpLoginUrl } from '../../gateway/plugins/step-up.ts';
import { createGatewayServer } from '../../gateway/server.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const LIMIT = 24 * MiB;
const TICKET = 'A'.repeat(20) + '_-' + 'b'.repeat(21);
const PERSON: Principal = { kind: 'person', pid: '12838512311', acr: 'idporten-loa-substantial' };
const BEARER = { authorization: 'Bearer person' };
const COOKIE = { cookie: 'session=stand-in' };
const LOGIN_URL = 'http://gateway.test/auth/login';

// A full collection on demand, so that what is measured is what is held, not garbage not yet collected (as in
// test/audit/reading-export.test.ts: vitest does not pass --expose-gc, a new context sees `gc` once it is set).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** What this process holds — client, gateway and stand-in alike: the heap and the Buffers outside it. */
const held = () => {
  // Twice: V8 frees dead Buffers' memory concurrently after a collection, and counts it until then (up to ~35 MiB
  // of garbage seen here); the second collection waits for that sweep to finish.
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

/** One request as the stand-in documents subgraph saw it. */
interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** Resolves when its body ended ('complete', with what arrived) or the gateway cut it ('aborted'). */
  outcome: Promise<{ end: 'complete' | 'aborted'; size: number; sha256: string }>;
}
type Respond = (request: http.IncomingMessage, response: http.ServerResponse, seen: Seen) => void;

/** The stand-in documents subgraph: records every request, answers as the test says. */
function standInSubgraph() {
  const seen: Seen[] = [];
  const waiting: ((s: Seen) => void)[] = [];
  let respond: Respond = (_q, response) => response.writeHead(500).end();
  const server = http.createServer((request, response) => {
    const hash = createHash('sha256');
    let size = 0;
    const outcome = new Promise<Awaited<Seen['outcome']>>((resolve) => {
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        hash.update(chunk);
      });
      // Once its answer is sent, a request still being read hears of a cut only through its socket.
      const cut = () => resolve({ end: 'aborted', size, sha256: '' });
      request.socket.once('close', cut);
      request.on('end', () => {
        request.socket.off('close', cut);
        resolve({ end: 'complete', size, sha256: hash.digest('hex') });
      });
      request.on('error', cut);
    });
    const entry: Seen = { method: request.method!, url: request.url!, headers: request.headers, outcome };
    seen.push(entry);
    waiting.shift()?.(entry);
    respond(request, response, entry);
  });
  return {
    server,
    seen,
    answer(with_: Respond) {
      respond = with_;
    },
    /** The next request to arrive (or the one that arrived first and was not waited for yet). */
    nextRequest(): Promise<Seen> {
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** The stand-in authenticator: a Bearer or a session cookie is this person; nothing is 401, as at the real door. */
const authenticator: Authenticator = {
  authenticate(request) {
    if (request.headers.authorization === 'Bearer person' || request.headers.cookie === COOKIE.cookie)
      return Promise.resolve(PERSON);
    return Promise.reject(new AuthError(401, 'UNAUTHENTICATED', 'Not authenticated.'));
  },
};

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request through node:http, so the test controls how the body is sent (length, chunks, cut). */
function send(
  url: string,
  options: { method: string; headers?: http.OutgoingHttpHeaders; body?: Readable | Buffer },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method, headers: options.headers });
    let answered = false;
    request.on('response', (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) });
        // Answered before the whole body went: a client stops sending then, as this one does.
        if (!request.writableFinished) request.destroy();
      });
      response.on('error', reject);
    });
    // A gateway may answer before taking the whole body and then cut the connection: the rest cannot be written.
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (options.body instanceof Readable) options.body.pipe(request);
    else request.end(options.body);
  });
}

/** `total` bytes of synthetic content in 64 KiB chunks, made as they are read; `onChunk` sees how far it is. */
function content(
  total: number,
  onChunk?: (sent: number) => void,
): { stream: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  let left = total;
  const stream = new Readable({
    read() {
      if (left === 0) return void this.push(null);
      const chunk = randomBytes(Math.min(left, 65_536));
      left -= chunk.length;
      hash.update(chunk);
      onChunk?.(total - left);
      this.push(chunk);
    },
  });
  return { stream, sha256: () => hash.digest('hex') };
}

const json = (answer: Answer) =>
  JSON.parse(answer.body.toString('utf8')) as {
    errors: { extensions: Record<string, unknown> & { code: string; requestId: string } }[];
  };

describe('gateway / document content', () => {
  const logger = createLogger({ level: process.env.TEST_LOG ?? 'silent', name: 'test' });
  const subgraph = standInSubgraph();
  const apps: FastifyInstance[] = [];
  let signer: CallerTokenSigner;
  let gateway: string;
  let slowGateway: string;
  let roomyGateway: string;

  /** The gateway server as gateway/index.ts assembles it, the content routes pointing at the stand-in. */
  async function gatewayTo(documentsUrl: string, timeoutMs: number, maxBytes = LIMIT): Promise<string> {
    const apollo = new ApolloServer<GatewayContext>({
      typeDefs: 'type Query { ok: Boolean }',
      resolvers: { Query: { ok: () => true } },
    });
    await apollo.start();
    const app = await createGatewayServer({
      apollo,
      authenticator,
      signer,
      logger,
      maxBodyBytes: 1024,
      readiness: { checks: [], timeoutMs: 1000 },
      registerRoutes: (a) => {
        registerDocumentContent(a, {
          documentsUrl,
          signer,
          calls: { connectTimeoutMs: 1000, timeoutMs, retryAfterSeconds: 7 },
          maxBytes,
          loginUrl: LOGIN_URL,
        });
        return Promise.resolve();
      },
    });
    apps.push(app);
    return app.listen({ host: '127.0.0.1', port: 0 });
  }

  beforeAll(async () => {
    signer = await createCallerTokenSigner({ signingKey: undefined, ttlSeconds: 60 });
    await new Promise<void>((resolve) => subgraph.server.listen(0, '127.0.0.1', resolve));
    const { port } = subgraph.server.address() as AddressInfo;
    const documentsUrl = `http://127.0.0.1:${port}/graphql`;
    gateway = await gatewayTo(documentsUrl, 10_000);
    slowGateway = await gatewayTo(documentsUrl, 200);
    roomyGateway = await gatewayTo(documentsUrl, 10_000, 2 * GiB);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    subgraph.server.closeAllConnections();
    await new Promise((resolve) => subgraph.server.close(resolve));
  });

  const contentUrl = (ticket = TICKET, base = gateway) => `${base}/documents/content/${ticket}`;

  it('streams a 20 MiB upload byte-exact to the subgraph with a caller token, and relays its 201', async () => {
    subgraph.answer((request, response, seen) => {
      void seen.outcome.then(({ size, sha256 }) => {
        response.writeHead(201, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'doc-1', sizeBytes: size, sha256 }));
      });
    });
    const size = 20 * MiB;
    const upload = content(size);
    const arrived = subgraph.nextRequest();
    const answer = await send(contentUrl(), {
      method: 'PUT',
      headers: { ...BEARER, 'content-type': 'application/pdf', 'content-length': size },
      body: upload.stream,
    });
    const sha256 = upload.sha256();
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual({ id: 'doc-1', sizeBytes: size, sha256 });
    expect(answer.headers['cache-control']).toBe('no-store');

    const seen = await arrived;
    expect(seen.method).toBe('PUT');
    expect(seen.url).toBe(`/content/${TICKET}`);
    expect(await seen.outcome).toEqual({ end: 'complete', size, sha256 });
    expect(seen.headers['content-type']).toBe('application/pdf');
    expect(seen.headers['content-length']).toBe(String(size));
    // The subgraph trusts the caller token and nothing the caller sent.
    const token = /^Bearer (.+)$/.exec(seen.headers.authorization ?? '')?.[1];
    const { payload } = await jwtVerify(token!, createLocalJWKSet(signer.jwks), {
      audience: callerTokenAudience('documents'),
    });
    expect(callerFromClaims(payload)).toEqual({
      principal: PERSON,
      requestId: answer.headers['x-request-id'],
    });
  });

  it('moves 1 GiB up and 1 GiB down holding no more than a little of it at a time', async () => {
    const baseline = held();
    let peak = 0;
    let samples = 0;
    /** Measures each time a further 64 MiB have gone by. */
    const sampleAt = (before: number, after: number) => {
      if (Math.floor(before / (64 * MiB)) === Math.floor(after / (64 * MiB))) return;
      samples += 1;
      peak = Math.max(peak, held() - baseline);
    };

    subgraph.answer((_q, response, seen) => {
      void seen.outcome.then(({ size, sha256 }) =>
        response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ size, sha256 })),
      );
    });
    const upload = content(GiB, (sent) => sampleAt(sent - 1, sent));
    const uploaded = await send(contentUrl(TICKET, roomyGateway), {
      method: 'PUT',
      headers: { ...BEARER, 'content-type': 'application/octet-stream' },
      body: upload.stream,
    });
    expect(uploaded.status).toBe(201);
    expect(JSON.parse(uploaded.body.toString('utf8'))).toEqual({ size: GiB, sha256: upload.sha256() });

    let download!: ReturnType<typeof content>;
    subgraph.answer((_q, response) => {
      download = content(GiB);
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(GiB) });
      download.stream.pipe(response);
    });
    const response = await fetch(contentUrl(TICKET, roomyGateway), { headers: BEARER });
    expect(response.status).toBe(200);
    const hash = createHash('sha256');
    let received = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      sampleAt(received, received + chunk.length);
      received += chunk.length;
    }
    expect(received).toBe(GiB);
    expect(hash.digest('hex')).toBe(download.sha256());
    // Holding either body anywhere on its way (client, gateway or stand-in) would hold far more than this.
    expect(samples).toBe(32);
    expect(peak).toBeLessThan(64 * MiB);
  }, 120_000);

  it('answers 413 to a chunked upload that grows past the limit, and cuts the subgraph off mid-body', async () => {
    subgraph.answer(() => undefined);
    const arrived = subgraph.nextRequest();
    const answer = await send(contentUrl(), {
      method: 'PUT',
      headers: { ...BEARER, 'content-type': 'application/octet-stream' },
      body: content(LIMIT + MiB).stream,
    });
    expect(answer.status).toBe(413);
    expect(json(answer).errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const outcome = await (await arrived).outcome;
    expect(outcome.end).toBe('aborted');
    expect(outcome.size).toBeLessThanOrEqual(LIMIT);
  });

  it('answers 413 to a Content-Length past the limit at once, without calling the subgraph', async () => {
    const before = subgraph.seen.length;
    // Headers only: the gateway must answer without waiting for a body it will not take.
    const answer = await new Promise<number>((resolve, reject) => {
      const request = http.request(contentUrl(), {
        method: 'PUT',
        headers: { ...BEARER, 'content-type': 'application/pdf', 'content-length': LIMIT + 1 },
      });
      request.on('response', (response) => {
        resolve(response.statusCode!);
        request.destroy();
      });
      request.on('error', reject);
      request.flushHeaders();
    });
    expect(answer).toBe(413);
    // A request the gateway does pass on arrives after it: the refused one never did.
    subgraph.answer((_q, response) => response.writeHead(200).end('x'));
    expect((await fetch(contentUrl(), { headers: BEARER })).status).toBe(200);
    expect(subgraph.seen.slice(before).map((s) => s.method)).toEqual(['GET']);
  });

  it('aborts the subgraph request when the uploader goes away mid-body', async () => {
    subgraph.answer(() => undefined);
    const arrived = subgraph.nextRequest();
    const request = http.request(contentUrl(), {
      method: 'PUT',
      headers: { ...BEARER, 'content-type': 'application/pdf', 'content-length': 3 * MiB },
    });
    request.on('error', () => undefined);
    request.write(randomBytes(MiB));
    const seen = await arrived;
    request.destroy();
    const outcome = await seen.outcome;
    expect(outcome.end).toBe('aborted');
    expect(outcome.size).toBeLessThan(3 * MiB);
  });

  it('relays a Range download as 206 with its Content-Range', async () => {
    const whole = randomBytes(100);
    subgraph.answer((request, response) => {
      expect(request.headers.range).toBe('bytes=10-19');
      response.writeHead(206, {
        'content-type': 'application/pdf',
        'content-range': 'bytes 10-19/100',
        'accept-ranges': 'bytes',
        'content-length': '10',
        'x-internal': 'not for the caller',
      });
      response.end(whole.subarray(10, 20));
    });
    const response = await fetch(contentUrl(), { headers: { ...BEARER, range: 'bytes=10-19' } });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 10-19/100');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('x-internal')).toBeNull();
    expect(Buffer.from(await response.arrayBuffer())).toEqual(whole.subarray(10, 20));
  });

  it('never lets a download render: attachment, nosniff, sandbox, no-store whatever the subgraph says', async () => {
    subgraph.answer((_q, response) => {
      response.writeHead(200, {
        'content-type': 'text/html',
        'content-disposition': "inline; filename*=UTF-8''r%C3%A5d.html",
        'cache-control': 'public, max-age=3600',
      });
      response.end('<script>alert(1)</script>');
    });
    // A browser's download is a plain navigation with the session cookie: no X-Requested-With needed.
    const response = await fetch(contentUrl(), { headers: COOKIE });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''r%C3%A5d.html");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe('<script>alert(1)</script>');

    expect(downloadSafetyHeaders({ 'content-disposition': 'inline' })['content-disposition']).toBe(
      'attachment',
    );
    for (const malformed of [
      "inline; filename*=UTF-8''a\"b.html",
      "inline; filename*=latin1''a.html",
      "inline; filename*=UTF-8''a%2.html",
    ])
      expect(downloadSafetyHeaders({ 'content-disposition': malformed })['content-disposition']).toBe(
        'attachment',
      );
    expect(downloadSafetyHeaders({})['content-type']).toBe('application/octet-stream');
  });

  it('cuts the download, never ends it cleanly, when the subgraph dies mid-stream', async () => {
    for (const length of [undefined, String(MiB)]) {
      let die!: () => void;
      const dying = new Promise<void>((resolve) => (die = resolve));
      subgraph.answer((_q, response) => {
        response.writeHead(200, {
          'content-type': 'application/pdf',
          ...(length ? { 'content-length': length } : {}),
        });
        response.write(randomBytes(65_536));
        void dying.then(() => response.destroy());
      });
      const response = await fetch(contentUrl(), { headers: BEARER });
      expect(response.status).toBe(200);
      die();
      await expect(response.arrayBuffer()).rejects.toThrow();
    }
  });

  it('answers 404 DOCUMENT_LINK_INVALID to a malformed ticket without calling the subgraph', async () => {
    const before = subgraph.seen.length;
    for (const ticket of ['short', TICKET + 'x', TICKET.slice(0, 42) + '.', TICKET.slice(0, 42) + '%2F']) {
      const get = await send(contentUrl(ticket), { method: 'GET', headers: BEARER });
      const put = await send(contentUrl(ticket), {
        method: 'PUT',
        headers: { ...BEARER, 'content-type': 'application/pdf' },
        body: Buffer.from('x'),
      });
      for (const answer of [get, put]) {
        expect(answer.status).toBe(404);
        expect(json(answer).errors[0]!.extensions).toMatchObject({
          code: 'DOCUMENT_LINK_INVALID',
          requestId: answer.headers['x-request-id'],
        });
      }
    }
    expect(subgraph.seen.length).toBe(before);
  });

  it('authenticates as /graphql does, and asks a session-cookie upload for X-Requested-With', async () => {
    const before = subgraph.seen.length;
    const anonymous = await send(contentUrl(), { method: 'GET' });
    expect(anonymous.status).toBe(401);
    const anonymousPut = await send(contentUrl(), {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.from('x'),
    });
    expect(anonymousPut.status).toBe(401);
    const cookieOnly = await send(contentUrl(), {
      method: 'PUT',
      headers: { ...COOKIE, 'content-type': 'application/pdf' },
      body: Buffer.from('x'),
    });
    expect(cookieOnly.status).toBe(400);
    expect(json(cookieOnly).errors[0]!.extensions.code).toBe('BAD_REQUEST');
    expect(subgraph.seen.length).toBe(before);

    subgraph.answer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(201, { 'content-type': 'application/json' }).end('{}'));
    });
    const withHeader = await send(contentUrl(), {
      method: 'PUT',
      headers: { ...COOKIE, 'x-requested-with': 'fetch', 'content-type': 'text/plain' },
      body: Buffer.from('plain text is content here'),
    });
    expect(withHeader.status).toBe(201);
  });

  it('keeps the JSON-only rules everywhere else', async () => {
    const response = await fetch(`${gateway}/graphql`, {
      method: 'POST',
      headers: { ...BEARER, 'content-type': 'text/plain' },
      body: '{"query":"{ ok }"}',
    });
    expect(response.status).toBe(415);
  });

  it("relays the subgraph's refusals, adding where to log in to a step-up", async () => {
    const refusal = (code: string, extensions: Record<string, unknown> = {}) =>
      JSON.stringify({
        errors: [{ message: 'refused', extensions: { code, requestId: 'r', ...extensions } }],
      });
    subgraph.answer((_q, response) =>
      response
        .writeHead(403, { 'content-type': 'application/json' })
        .end(refusal('INSUFFICIENT_AUTHENTICATION_LEVEL', { requiredAcr: 'idporten-loa-high' })),
    );
    const stepUp = await send(contentUrl(), { method: 'GET', headers: BEARER });
    expect(stepUp.status).toBe(403);
    expect(json(stepUp).errors[0]!.extensions).toEqual({
      code: 'INSUFFICIENT_AUTHENTICATION_LEVEL',
      requestId: 'r',
      requiredAcr: 'idporten-loa-high',
      loginUrl: stepUpLoginUrl(LOGIN_URL, 'idporten-loa-high'),
    });

    subgraph.answer((_q, response) =>
      response
        .writeHead(416, { 'content-type': 'application/json', 'content-range': 'bytes */100' })
        .end(refusal('BAD_REQUEST')),
    );
    const unsatisfiable = await send(contentUrl(), {
      method: 'GET',
      headers: { ...BEARER, range: 'bytes=200-' },
    });
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers['content-range']).toBe('bytes */100');
    expect(json(unsatisfiable).errors[0]!.extensions).toEqual({ code: 'BAD_REQUEST', requestId: 'r' });
  });

  it('relays a refusal the subgraph sends before taking the body, and ends that upload', async () => {
    subgraph.answer((_q, response) =>
      response
        .writeHead(410, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: [{ message: 'used', extensions: { code: 'GONE', requestId: 'r' } }] })),
    );
    const arrived = subgraph.nextRequest();
    const answer = await send(contentUrl(), {
      method: 'PUT',
      headers: { ...BEARER, 'content-type': 'application/pdf', 'content-length': 8 * MiB },
      body: content(8 * MiB).stream,
    });
    expect(answer.status).toBe(410);
    expect(json(answer).errors[0]!.extensions).toEqual({ code: 'GONE', requestId: 'r' });
    expect((await (await arrived).outcome).end).toBe('aborted');
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After when the subgraph fails or does not answer', async () => {
    subgraph.answer((_q, response) =>
      response.writeHead(503, { 'content-type': 'text/html' }).end('<h1>down</h1>'),
    );
    const failing = await send(contentUrl(), { method: 'GET', headers: BEARER });
    subgraph.answer((_q, response) =>
      response.writeHead(401, { 'content-type': 'application/json' }).end('{}'),
    );
    const refusingOurToken = await send(contentUrl(), { method: 'GET', headers: BEARER });
    subgraph.answer(() => undefined);
    const silent = await send(contentUrl(TICKET, slowGateway), { method: 'GET', headers: BEARER });
    const silentUpload = await send(contentUrl(TICKET, slowGateway), {
      method: 'PUT',
      headers: { ...BEARER, 'content-type': 'application/pdf' },
      body: Buffer.from('a small document'),
    });
    for (const answer of [failing, refusingOurToken, silent, silentUpload]) {
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('7');
      expect(json(answer).errors[0]!.extensions).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        requestId: answer.headers['x-request-id'],
      });
    }
  });
});
