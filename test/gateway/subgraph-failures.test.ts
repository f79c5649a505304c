// A subgraph that is down, hangs, or answers garbage is bounded: the caller gets SERVICE_UNAVAILABLE with the
// request id and no internals (503 with Retry-After when nothing could be answered), and the gateway's log line
// names the subgraph and what failed. The hangs end by the configured timeouts, kept small here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DOCUMENTS } from '../../common/demo-identities.ts';
import { startGatewayWith, type ExtraGateway } from '../support/gateway.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const DOCUMENT = DEMO_DOCUMENTS.caseFile;
const QUERY = `{ document(id: "${DOCUMENT}") { title } }`;
const TIMEOUTS = {
  SUBGRAPH_CONNECT_TIMEOUT_MS: '200',
  SUBGRAPH_TIMEOUT_MS: '300',
  SUBGRAPH_RETRY_AFTER_SECONDS: '7',
};

type Behaviour = (request: IncomingMessage, response: ServerResponse) => void;

/** A stand-in "documents subgraph" on loopback that misbehaves as told. */
async function misbehaving(behaviour: Behaviour): Promise<{ url: string; server: Server }> {
  const server = createServer(behaviour);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

/** A port nothing listens on any more: a subgraph that is stopped. */
async function stoppedUrl(): Promise<string> {
  const { url, server } = await misbehaving(() => undefined);
  await new Promise((resolve) => server.close(resolve));
  return url;
}

const CASES: { name: string; failure: string; behaviour?: Behaviour }[] = [
  { name: 'is stopped', failure: 'connection refused' },
  { name: 'accepts and never answers', failure: 'response timeout', behaviour: () => undefined },
  {
    name: 'sends headers and never the body',
    failure: 'response timeout',
    behaviour: (_, res) => res.writeHead(200, { 'content-type': 'application/json' }).flushHeaders(),
  },
  {
    name: 'drops the connection mid-answer',
    failure: 'connection reset',
    behaviour: (_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' }).write('{"data":');
      res.socket?.destroy();
    },
  },
  {
    name: 'answers 500 with a stack trace',
    failure: 'bad status',
    behaviour: (_, res) =>
      res.writeHead(500, { 'content-type': 'text/html' }).end('<pre>Error\n at x.js:1</pre>'),
  },
  {
    name: 'answers 502 with nothing',
    failure: 'bad status',
    behaviour: (_, res) => res.writeHead(502).end(),
  },
  {
    name: 'answers 503 with a GraphQL body',
    failure: 'bad status',
    behaviour: (_, res) =>
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"message":"down"}]}'),
  },
  {
    name: 'answers 200 with text',
    failure: 'bad body',
    behaviour: (_, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hello'),
  },
  {
    name: 'answers 200 with broken JSON',
    failure: 'bad body',
    behaviour: (_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": {'),
  },
  {
    name: 'answers 200 with JSON that is no GraphQL response',
    failure: 'bad body',
    behaviour: (_, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}'),
  },
  {
    name: 'answers 200 with a JSON list',
    failure: 'bad body',
    behaviour: (_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[]'),
  },
];

describe('gateway / a subgraph that fails or hangs', () => {
  let platform: TestPlatform;
  let integration: Record<string, string>;
  const cleanup: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    platform = await startTestPlatform();
    integration = await platform.asIntegration();
  });
  afterAll(async () => {
    for (const close of cleanup.reverse()) await close();
    await platform.stop();
  });

  /** Small timeouts bound only the misbehaving subgraph; the real ones get the defaults (a busy machine is slow). */
  async function gatewayWithDocumentsAt(
    url: string,
    env: Record<string, string> = TIMEOUTS,
  ): Promise<ExtraGateway> {
    const gateway = await startGatewayWith(platform, { documents: url }, env);
    cleanup.push(() => gateway.stop());
    return gateway;
  }

  async function ask(gateway: ExtraGateway, query: string) {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...integration },
      body: JSON.stringify({ query }),
    });
    const text = await response.text();
    return {
      response,
      text,
      body: JSON.parse(text) as {
        data?: unknown;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      },
    };
  }

  for (const { name, failure, behaviour } of CASES) {
    it(`answers SERVICE_UNAVAILABLE when the subgraph ${name}, and logs "${failure}" for it`, async () => {
      let url: string;
      if (behaviour) {
        const fake = await misbehaving(behaviour);
        cleanup.push(
          () =>
            new Promise((resolve) => {
              fake.server.close(resolve);
              fake.server.closeAllConnections();
            }),
        );
        url = fake.url;
      } else url = await stoppedUrl();
      const gateway = await gatewayWithDocumentsAt(url);

      const { response, text, body } = await ask(gateway, QUERY);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(body.errors).toHaveLength(1);
      const error = body.errors![0]!;
      expect(error.extensions).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        requestId: response.headers.get('x-request-id'),
      });
      expect(error.message).not.toMatch(/documents|127\.0\.0\.1|ECONN|timeout|status/i);
      expect(text).not.toMatch(/stacktrace|\bat .*\.(ts|js):\d+|<pre>|down|hello/);

      const lines = gateway.logs
        .filter(
          (line) => line.includes(String(error.extensions?.requestId)) && line.includes('"operation failed"'),
        )
        .map((line) => JSON.parse(line) as { error: Record<string, unknown> });
      expect(lines.map((line) => line.error)).toEqual([
        expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', subgraph: 'documents', failure }),
      ]);
      // No line about it that says nothing (an error serialised as `{}`).
      expect(gateway.logs.join('')).not.toContain('{}');
    });
  }

  it('answers what the other subgraphs could, with SERVICE_UNAVAILABLE for the rest (200)', async () => {
    const gateway = await gatewayWithDocumentsAt(await stoppedUrl(), {});
    const { response, body } = await ask(
      gateway,
      `{ me { __typename } document(id: "${DOCUMENT}") { title } }`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(body.data).toEqual({ me: { __typename: 'Caller' }, document: null });
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
  });

  it('still answers normally when every subgraph is up', async () => {
    const gateway = await startGatewayWith(platform, {});
    cleanup.push(() => gateway.stop());
    const { response, body } = await ask(gateway, QUERY);
    expect(response.status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ document: { title: 'Saksframlegg, sak 2026/114' } });
  });
});
