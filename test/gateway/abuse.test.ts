// Abuse at the door (issue #12 item 10): one platform receives each kind of abusive request in turn — each refused
// with a stable code and the request id (in the body and in x-request-id), never a 500 or a stack — and then still
// serves a normal request. The details of each refusal are tested where they are made (bad-input.test.ts,
// operation-limits/, rate-limit*.test.ts, csrf.test.ts); this test is about all of them against one live process.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { ERROR_CODES } from '../../common/errors.ts';
import { personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { cycle, typenameAliases } from './operation-limits/operations.ts';

interface Answer {
  status: number;
  requestId: string | null;
  text: string;
}

describe('gateway / abusive requests', () => {
  let platform: TestPlatform;
  let integration: Record<string, string>;
  let host: string;
  let port: number;
  beforeAll(async () => {
    platform = await startTestPlatform({ MAX_BODY_BYTES: '16384', RATE_LIMIT_PERSON_MAX: '5' });
    integration = await platform.asIntegration();
    const url = new URL(platform.gatewayUrl);
    host = url.hostname;
    port = Number(url.port);
  });
  afterAll(() => platform.stop());

  async function send(path: string, init: RequestInit): Promise<Answer> {
    const response = await fetch(`${platform.gatewayUrl}${path}`, init);
    return {
      status: response.status,
      requestId: response.headers.get('x-request-id'),
      text: await response.text(),
    };
  }

  /** A POST to /graphql, as the demo integration unless `credentials` says otherwise. */
  const graphql = (body: string | Buffer, headers: Record<string, string> = {}, credentials = integration) =>
    send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...credentials, ...headers },
      body,
    });

  /** Raw bytes on a socket, for what fetch will not send; resolves with what came back when the server closed. */
  function raw(bytes: string | Buffer, { abandon = false } = {}): Promise<Answer | undefined> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host);
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () => {
        if (abandon) return resolve(undefined);
        const text = Buffer.concat(chunks).toString('utf8');
        const [head = '', body = ''] = text.split('\r\n\r\n');
        resolve({
          status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]),
          requestId: /^x-request-id: (.+)$/im.exec(head)?.[1]?.trim() ?? null,
          text: body,
        });
      });
      // An abandoned request: part of it is written, then the client goes away mid-way.
      socket.write(bytes, () => {
        if (abandon) socket.destroy();
      });
    });
  }

  function expectRefusal(answer: Answer | undefined, status: number, code: string) {
    expect(answer?.status, answer?.text).toBe(status);
    const body = JSON.parse(answer!.text) as {
      errors: { extensions: { code: string; requestId: string } }[];
    };
    expect(ERROR_CODES).toContain(body.errors[0]!.extensions.code);
    expect(body.errors[0]!.extensions.code).toBe(code);
    expect(answer!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.errors[0]!.extensions.requestId).toBe(answer!.requestId);
    expect(answer!.text).not.toMatch(/stack|\bat .*\.(ts|js):\d+/);
  }

  it('refuses every kind of abuse with a code and the request id, and then serves a normal request', async () => {
    const query = (q: string) => JSON.stringify({ query: q });

    expectRefusal(await graphql(query(`{ me { kind } } #${'x'.repeat(100_000)}`)), 413, 'PAYLOAD_TOO_LARGE');
    expectRefusal(await graphql(query(cycle(12))), 400, 'MAX_DEPTH_EXCEEDED');
    expectRefusal(await graphql(query(typenameAliases(300))), 400, 'MAX_ALIASES_EXCEEDED');
    expectRefusal(await graphql(`{${'['.repeat(2000)}`), 400, 'BAD_REQUEST');
    expectRefusal(
      await graphql(query('{ me { kind } }'), { 'content-type': 'text/plain' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    // Bytes that are not UTF-8 (a lone continuation byte, an overlong form) inside the query.
    const badUtf8 = Buffer.concat([
      Buffer.from('{"query":"{ me { kind '),
      Buffer.from([0x80, 0xc0, 0xaf]),
      Buffer.from(' } }"}'),
    ]);
    expectRefusal(await graphql(badUtf8), 400, 'GRAPHQL_PARSE_FAILED');
    // Batching stays off: an array of operations is not an operation.
    expectRefusal(
      await graphql(JSON.stringify([{ query: '{ me { kind } }' }, { query: '{ me { kind } }' }])),
      400,
      'BAD_REQUEST',
    );
    const mutation = encodeURIComponent('mutation { __typename }');
    expectRefusal(
      await send(`/graphql?query=${mutation}`, {
        headers: { ...integration, 'apollo-require-preflight': 'true' },
      }),
      405,
      'BAD_REQUEST',
    );
    expectRefusal(await send('/wp-admin/setup.php', {}), 404, 'NOT_FOUND');
    expectRefusal(
      await raw(`GET /graphql HTTP/1.1\r\nHost: ${host}\r\nX-Padding: ${'a'.repeat(64 * 1024)}\r\n\r\n`),
      431,
      'REQUEST_HEADERS_TOO_LARGE',
    );
    expectRefusal(await raw('NOT-HTTP\r\n\r\n'), 400, 'BAD_REQUEST');

    // A flood from one person: past the budget each is refused, the rest of the platform unaffected.
    const ola = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.ola.pid)}` };
    const flood = await Promise.all(
      Array.from({ length: 30 }, () => graphql(query('{ me { kind } }'), {}, ola)),
    );
    expect(flood.filter((a) => a.status === 200)).toHaveLength(5);
    for (const refused of flood.filter((a) => a.status !== 200)) expectRefusal(refused, 429, 'RATE_LIMITED');

    // Slow-loris-ish: headers never finished, and a body announced but never sent in full, then abandoned.
    await raw(`POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: appl`, { abandon: true });
    await raw(
      `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":"{ me`,
      { abandon: true },
    );

    const normal = await graphql(query('{ me { kind } }'));
    expect(normal.status).toBe(200);
    expect(JSON.parse(normal.text)).toEqual({ data: { me: { kind: 'INTEGRATION' } } });
    expect(platform.logs.filter((line) => line.includes('unhandled error'))).toEqual([]);
  });
});
