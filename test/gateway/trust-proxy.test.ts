// Behind a load balancer every connection comes from the proxy: TRUST_PROXY names the proxies whose X-Forwarded-For
// says who the client is, so each client has its own address budget (and back-off, and audit source). Without it,
// X-Forwarded-For is a header like any other: a caller cannot pick the address it is counted under.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const BUDGET = { RATE_LIMIT_ADDRESS_MAX: '2', RATE_LIMIT_WINDOW_SECONDS: '600' };

async function readyz(platform: TestPlatform, forwardedFor: string): Promise<number> {
  const response = await fetch(`${platform.gatewayUrl}/readyz`, {
    headers: { 'x-forwarded-for': forwardedFor },
  });
  await response.body?.cancel();
  return response.status;
}

describe('gateway / trusted proxies', () => {
  let behindProxy: TestPlatform;
  let direct: TestPlatform;
  beforeAll(async () => {
    // The tests' loopback connection plays the proxy.
    [behindProxy, direct] = await Promise.all([
      startTestPlatform({ ...BUDGET, TRUST_PROXY: 'loopback' }),
      startTestPlatform(BUDGET),
    ]);
  });
  afterAll(() => Promise.all([behindProxy?.stop(), direct?.stop()]));

  it('counts each client a trusted proxy names on its own', async () => {
    expect(await readyz(behindProxy, '203.0.113.7')).toBe(200);
    expect(await readyz(behindProxy, '203.0.113.7')).toBe(200);
    expect(await readyz(behindProxy, '203.0.113.7')).toBe(429);
    expect(await readyz(behindProxy, '203.0.113.8')).toBe(200);
  });

  it('ignores X-Forwarded-For from a caller that is not a trusted proxy', async () => {
    expect(await readyz(direct, '203.0.113.7')).toBe(200);
    expect(await readyz(direct, '203.0.113.8')).toBe(200);
    expect(await readyz(direct, '203.0.113.9')).toBe(429);
  });
});
