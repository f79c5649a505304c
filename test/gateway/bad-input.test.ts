// Bad input never yields a 500 or a stack trace: a 4xx with a GraphQL error body, a stable code and the request id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

interface Answer {
  status: number;
  requestId: string | null;
  text: string;
  body: { errors?: { message: string; extensions?: { code?: string; requestId?: string } }[] };
}

describe('gateway / bad input', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform({ MAX_BODY_BYTES: '2048' });
  });
  afterAll(() => platform.stop());

  async function send(init: RequestInit & { path?: string }): Promise<Answer> {
    // Authenticated, so that what is tested is the handling of the input, not the missing credential.
    const headers = { ...(await platform.asIntegration()), ...(init.headers as Record<string, string>) };
    const response = await fetch(`${platform.gatewayUrl}${init.path ?? '/graphql'}`, { ...init, headers });
    const text = await response.text();
    return {
      status: response.status,
      requestId: response.headers.get('x-request-id'),
      text,
      body: JSON.parse(text) as Answer['body'],
    };
  }

  function expectError(answer: Answer, status: number, code: string) {
    expect(answer.status).toBe(status);
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.body.errors?.[0]?.extensions?.requestId).toBe(answer.requestId);
    expect(answer.text).not.toMatch(/stacktrace|\bat .*\.(ts|js):\d+/);
  }

  const json = { 'content-type': 'application/json' };

  it('answers malformed JSON with 400 BAD_REQUEST', async () => {
    expectError(
      await send({ method: 'POST', headers: json, body: '{"query": "{ organizations' }),
      400,
      'BAD_REQUEST',
    );
  });

  it('answers an empty JSON body with 400 BAD_REQUEST', async () => {
    expectError(await send({ method: 'POST', headers: json, body: '' }), 400, 'BAD_REQUEST');
  });

  it('answers a body that is not an operation with 400 BAD_REQUEST', async () => {
    expectError(await send({ method: 'POST', headers: json, body: '[1, 2]' }), 400, 'BAD_REQUEST');
    expectError(await send({ method: 'POST', headers: json, body: '{"variables": {}}' }), 400, 'BAD_REQUEST');
  });

  it('refuses unknown keys in the request body', async () => {
    const body = JSON.stringify({ query: '{ organizations { name } }', sneaky: true });
    expectError(await send({ method: 'POST', headers: json, body }), 400, 'BAD_REQUEST');
  });

  it('answers a wrong content type with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const body = JSON.stringify({ query: '{ organizations { name } }' });
    expectError(
      await send({ method: 'POST', headers: { 'content-type': 'text/plain' }, body }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectError(
      await send({
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'query=x',
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('answers an oversize body with 413 PAYLOAD_TOO_LARGE', async () => {
    const body = JSON.stringify({ query: `{ organizations { name } } #${'x'.repeat(4096)}` });
    expectError(await send({ method: 'POST', headers: json, body }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers a syntax error with 400 GRAPHQL_PARSE_FAILED', async () => {
    const body = JSON.stringify({ query: '{ organizations { name ' });
    expectError(await send({ method: 'POST', headers: json, body }), 400, 'GRAPHQL_PARSE_FAILED');
  });

  it('answers an unknown field with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const body = JSON.stringify({ query: '{ organizations { name secretField } }' });
    expectError(await send({ method: 'POST', headers: json, body }), 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('answers invalid variables with 400 BAD_USER_INPUT', async () => {
    const body = JSON.stringify({
      query: 'query Q($orgnr: String!) { organization(orgnr: $orgnr) { name } }',
      variables: { orgnr: 910000004 },
    });
    expectError(await send({ method: 'POST', headers: json, body }), 400, 'BAD_USER_INPUT');
  });

  it('refuses a mutation over GET', async () => {
    const query = encodeURIComponent('mutation { nothing }');
    const answer = await send({ method: 'GET', path: `/graphql?query=${query}` });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.errors?.[0]?.extensions?.requestId).toBe(answer.requestId);
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    expectError(await send({ method: 'GET', path: '/admin' }), 404, 'NOT_FOUND');
  });

  it('never echoes the request id a caller sends', async () => {
    const answer = await send({
      method: 'POST',
      headers: { ...json, 'x-request-id': 'forged-id' },
      body: '{',
    });
    expect(answer.requestId).not.toBe('forged-id');
    expect(answer.body.errors?.[0]?.extensions?.requestId).toBe(answer.requestId);
  });
});
