// #9 item 3: a flood of wrong integration passwords cannot starve other callers. Failures back off per
// (integration id, client address) without running scrypt, with the same vague 401 as a wrong password; beyond a
// bound on concurrent password checks the answer is a quick 503 AUTHENTICATION_BUSY with Retry-After.
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationHeaders, maskinportenToken } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const ME = '{ me { kind integrationId } }';
const VAGUE = /^Autentisering feilet for integrasjon med id /;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One POST /graphql over node:http, optionally from another loopback address (127.0.0.2 is loopback too). */
function post(platform: TestPlatform, headers: Record<string, string>, localAddress?: string): Promise<Raw> {
  const url = new URL('/graphql', platform.gatewayUrl);
  const body = JSON.stringify({ query: ME });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, localAddress },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function message(answer: Raw): string | undefined {
  return (JSON.parse(answer.text) as { errors?: { message: string }[] }).errors?.[0]?.message;
}

/** The answer with its request id blanked: every refusal must be byte-identical apart from it. */
function shape(answer: Raw): string {
  const requestId = answer.headers['x-request-id'] as string;
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  return `${answer.status} ${String(answer.headers['www-authenticate'])} ${answer.text.replaceAll(requestId, '<id>')}`;
}

describe('gateway / authentication failures back off per integration and address', () => {
  let platform: TestPlatform;
  let token: string;
  beforeAll(async () => {
    platform = await startTestPlatform({
      INTEGRATION_FAILURES_BEFORE_BACKOFF: '3',
      // Long enough that the back-off cannot end during the test, whatever the machine's speed.
      INTEGRATION_BACKOFF_INITIAL_SECONDS: '600',
      INTEGRATION_BACKOFF_MAX_SECONDS: '600',
    });
    token = await maskinportenToken(platform);
  });
  afterAll(() => platform.stop());

  // The three cases run in order: the first needs the demo integration's password not yet verified.
  it('refuses even the right password, with the same vague 401, once an id has failed too often from an address', async () => {
    const demo = platform.demoIntegration!;
    const wrong = await integrationHeaders(platform, { token, password: 'w'.repeat(32) });
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await post(platform, wrong));
    const right = await post(platform, await integrationHeaders(platform, { token }));
    expect(right.status).toBe(401);
    const expected = shape(answers[0]!);
    expect(expected).toMatch(new RegExp(`^401 Bearer .*${demo.id}`));
    expect(message(answers[0]!)).toMatch(VAGUE);
    for (const answer of [...answers, right]) expect(shape(answer)).toBe(expected);

    // An unknown id backs off exactly alike: the answers say nothing about whether the id exists.
    const unknown = randomUUID();
    const unknownHeaders = await integrationHeaders(platform, {
      token,
      id: unknown,
      password: 'w'.repeat(32),
    });
    for (let i = 0; i < 5; i += 1) {
      expect(shape(await post(platform, unknownHeaders))).toBe(expected.replaceAll(demo.id, unknown));
    }
  });

  it('does not back off the same id called from another address', async () => {
    const right = await post(platform, await integrationHeaders(platform, { token }), '127.0.0.2');
    expect(right.status).toBe(200);
    expect(JSON.parse(right.text)).toEqual({
      data: { me: { kind: 'INTEGRATION', integrationId: platform.demoIntegration!.id } },
    });
  });

  it('lets a password verified moments ago through even from the backed-off address (no scrypt needed)', async () => {
    const right = await post(platform, await integrationHeaders(platform, { token }));
    expect(right.status).toBe(200);
    // ... while a wrong one from there is still refused.
    const wrong = await post(
      platform,
      await integrationHeaders(platform, { token, password: 'v'.repeat(32) }),
    );
    expect(wrong.status).toBe(401);
  });
});

describe('gateway / concurrent password checks are bounded', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform({ INTEGRATION_PASSWORD_CHECKS: '1', INTEGRATION_PASSWORD_QUEUE: '0' });
  });
  afterAll(() => platform.stop());

  it('answers checks beyond the bound at once with 503 AUTHENTICATION_BUSY and Retry-After, the rest with the vague 401', async () => {
    const token = await maskinportenToken(platform);
    // Distinct unknown ids, so that no back-off is involved: each request needs one scrypt.
    const flood = await Promise.all(
      Array.from({ length: 12 }, async () =>
        post(
          platform,
          await integrationHeaders(platform, { token, id: randomUUID(), password: 'w'.repeat(32) }),
        ),
      ),
    );
    const busy = flood.filter((a) => a.status === 503);
    const refused = flood.filter((a) => a.status === 401);
    expect(busy.length + refused.length).toBe(flood.length);
    expect(refused.length).toBeGreaterThan(0);
    expect(busy.length).toBeGreaterThan(0);
    for (const answer of busy) {
      expect(answer.headers['retry-after']).toBe('1');
      const body = JSON.parse(answer.text) as {
        errors: { message: string; extensions: Record<string, unknown> }[];
      };
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]!.extensions).toEqual({
        code: 'AUTHENTICATION_BUSY',
        requestId: answer.headers['x-request-id'],
      });
      expect(body).not.toHaveProperty('data');
    }
    for (const answer of refused) expect(message(answer)).toMatch(VAGUE);
    // The bound refuses, it does not break: with the flood over, the demo integration gets in.
    const after = await platform.graphql(ME, {}, await integrationHeaders(platform, { token }));
    expect(after.status).toBe(200);
  });
});
