// Rate limits per principal, counted in memory (no REDIS_URL): an integration by its id, a person by who they are
// (all their tokens together), and whatever is not authenticated by the client address — each with its own budget.
// Past it: 429 RATE_LIMITED with Retry-After, the RateLimit headers and the request id. Shared counting in Redis,
// and Redis failing, are in rate-limit-redis.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { integrationHeaders, personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const ME = '{ me { kind } }';

describe('gateway / rate limits', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform({
      RATE_LIMIT_INTEGRATION_MAX: '3',
      RATE_LIMIT_PERSON_MAX: '2',
      RATE_LIMIT_ADDRESS_MAX: '4',
      RATE_LIMIT_WINDOW_SECONDS: '600',
    });
  });
  afterAll(() => platform.stop());

  async function expectRateLimited(response: Response, kind: string, max: number) {
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(response.headers.get('ratelimit-policy')).toBe(`"${kind}";q=${max};w=600`);
    expect(response.headers.get('ratelimit')).toBe(`"${kind}";r=0;t=${retryAfter}`);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as {
      errors: { message: string; extensions: Record<string, unknown> }[];
    };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]!.extensions).toEqual({
      code: 'RATE_LIMITED',
      requestId: response.headers.get('x-request-id'),
    });
    expect(body.errors[0]!.message).toBe(`Too many requests. Try again in ${retryAfter} seconds.`);
  }

  const post = (headers: Record<string, string>) =>
    fetch(`${platform.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: ME }),
    });

  it('counts an integration by its id, telling what remains, and refuses past its budget', async () => {
    const integration = await platform.asIntegration();
    for (const remaining of [2, 1, 0]) {
      const response = await post(integration);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-policy')).toBe('"integration";q=3;w=600');
      expect(response.headers.get('ratelimit')).toMatch(new RegExp(`^"integration";r=${remaining};t=\\d+$`));
      await response.body?.cancel();
    }
    await expectRateLimited(await post(integration), 'integration', 3);
    // A new Maskinporten token is the same integration: the budget is the integration's, not the token's.
    await expectRateLimited(await post(await platform.asIntegration()), 'integration', 3);
  });

  it("counts a person apart from the integration, across all the person's tokens", async () => {
    const first = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.kari.pid)}` };
    const second = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.kari.pid)}` };
    expect((await post(first)).status).toBe(200);
    expect((await post(second)).status).toBe(200);
    await expectRateLimited(await post(first), 'person', 2);
    await expectRateLimited(await post(second), 'person', 2);
    // Another person has their own budget.
    const ola = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.ola.pid)}` };
    expect((await post(ola)).status).toBe(200);
    // The pid is never in what the gateway logged about it.
    expect(platform.logs.join('\n')).not.toContain(DEMO_PERSONS.kari.pid);
  });

  it('counts what is not authenticated by the client address; /healthz is never counted', async () => {
    for (let i = 0; i < 4; i += 1) {
      const page = await fetch(`${platform.gatewayUrl}/`, { redirect: 'manual' });
      expect(page.status).toBe(302);
      expect(page.headers.get('ratelimit-policy')).toBe('"address";q=4;w=600');
      await page.body?.cancel();
    }
    await expectRateLimited(await fetch(`${platform.gatewayUrl}/explorer`), 'address', 4);
    await expectRateLimited(await fetch(`${platform.gatewayUrl}/no-such-route`), 'address', 4);
    await expectRateLimited(await fetch(`${platform.gatewayUrl}/readyz`), 'address', 4);
    const health = await fetch(`${platform.gatewayUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('ratelimit')).toBeNull();
    // The address's budget is not the principals': an authenticated person from the same address is still served.
    const liv = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.liv.pid)}` };
    expect((await post(liv)).status).toBe(200);
  });
});

describe('gateway / rate limits on refused authentication', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform({ RATE_LIMIT_ADDRESS_MAX: '3', RATE_LIMIT_WINDOW_SECONDS: '600' });
  });
  afterAll(() => platform.stop());

  const post = (headers: Record<string, string>) =>
    fetch(`${platform.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: ME }),
    });
  const codeOf = async (response: Response) =>
    ((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code;

  it('counts each refused token or password against the client address, and answers 429 past its budget', async () => {
    // A forged token, then a wrong password with a valid Maskinporten token: refused, and counted.
    const refused = [
      await post({ authorization: 'Bearer not-a-token' }),
      await post(await integrationHeaders(platform, { password: 'wrong-password-0123456789' })),
      await post({ authorization: 'Bearer still-not-a-token' }),
    ];
    expect(refused.map((response) => response.status)).toEqual([401, 401, 401]);
    expect(refused.map((response) => response.headers.get('ratelimit'))).toEqual([
      expect.stringMatching(/^"address";r=2;t=\d+$/),
      expect.stringMatching(/^"address";r=1;t=\d+$/),
      expect.stringMatching(/^"address";r=0;t=\d+$/),
    ]);
    expect(await Promise.all(refused.map(codeOf))).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
    ]);

    // The next refusal is answered 429, with the request id.
    const limited = await post(await integrationHeaders(platform, { password: 'another-guess-0123456789' }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    const body = (await limited.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions).toEqual({
      code: 'RATE_LIMITED',
      requestId: limited.headers.get('x-request-id'),
    });

    // A caller who does authenticate spends its own budget, not the address's: still served.
    const served = await post(await integrationHeaders(platform));
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual({ data: { me: { kind: 'INTEGRATION' } } });
  });
});
