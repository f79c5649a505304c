// CSRF (issue #12 item 9): a page on another site can make a logged-in browser send "simple" requests — a form
// POST (urlencoded, multipart, text/plain) or a GET — with the session cookie, but nothing else without a CORS
// preflight the gateway never grants it. Every state-changing route must refuse those: /graphql by its JSON-only
// body and Apollo's CSRF prevention, /auth/logout by a same-origin JSON check, the document upload by requiring
// X-Requested-With (or a bearer token). The first test lists the gateway's routes, so a new state-changing route
// fails here until its own cross-site case is added.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { startGatewayWith } from '../support/gateway.ts';
import { browserLogin } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const STATE_CHANGING = ['POST /auth/logout', 'POST /graphql', 'PUT /documents/content/:ticket'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `method path` of every route in fastify's printRoutes tree (commonPrefix off: each line one path segment). */
function routesOf(tree: string): string[] {
  const parents: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (depth === 0 ? '' : parents[depth - 1]!) + match[2]!;
    parents[depth] = path;
    for (const method of match[3]?.split(', ') ?? []) routes.push(`${method} ${path}`);
  }
  return routes;
}

describe('gateway / cross-site requests', () => {
  let platform: TestPlatform;
  let cookie: string;
  beforeAll(async () => {
    platform = await startTestPlatform();
    ({ cookie } = await browserLogin(platform, DEMO_PERSONS.kari.pid));
  });
  afterAll(() => platform.stop());

  async function send(path: string, init: RequestInit) {
    const response = await fetch(`${platform.gatewayUrl}${path}`, {
      ...init,
      headers: { cookie, ...(init.headers as Record<string, string>) },
    });
    const text = await response.text();
    const body = JSON.parse(text) as {
      data?: unknown;
      errors?: { extensions?: { code?: string; requestId?: string } }[];
    };
    return { status: response.status, requestId: response.headers.get('x-request-id'), body };
  }

  async function expectRefused(path: string, init: RequestInit, status: number, code: string) {
    const answer = await send(path, init);
    expect(answer.status).toBe(status);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(answer.body.errors?.[0]?.extensions?.requestId).toBe(answer.requestId);
  }

  const sessionWorks = async () => {
    const answer = await send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { kind } }' }),
    });
    return answer.status === 200 && JSON.stringify(answer.body) === '{"data":{"me":{"kind":"PERSON"}}}';
  };

  it('knows every state-changing route of the gateway', async () => {
    const gateway = await startGatewayWith(platform, {});
    try {
      const routes = routesOf(gateway.app.printRoutes({ commonPrefix: false }));
      expect(routes).toContain('GET /healthz');
      expect(routes.filter((route) => !SAFE_METHODS.has(route.split(' ')[0]!)).sort()).toEqual(
        STATE_CHANGING,
      );
    } finally {
      await gateway.stop();
    }
  });

  it('refuses a cross-site form or text POST to /graphql, whatever it holds', async () => {
    const mutation = 'mutation { createIntegration(input: { name: "x" }) { id } }';
    await expectRefused(
      '/graphql',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `query=${encodeURIComponent(mutation)}`,
      },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await expectRefused(
      '/graphql',
      {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ query: mutation }),
      },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const form = new FormData();
    form.set('query', mutation);
    await expectRefused('/graphql', { method: 'POST', body: form }, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(await sessionWorks()).toBe(true);
  });

  it('refuses a cross-site GET of /graphql (Apollo CSRF prevention), even for a query', async () => {
    await expectRefused(
      `/graphql?query=${encodeURIComponent('{ me { kind } }')}`,
      { method: 'GET' },
      400,
      'BAD_REQUEST',
    );
  });

  it('refuses a cross-site document upload with the session cookie', async () => {
    const ticket = randomBytes(32).toString('base64url');
    await expectRefused(
      `/documents/content/${ticket}`,
      { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'planted content' },
      400,
      'BAD_REQUEST',
    );
  });

  it('refuses a cross-site logout, and the session lives on; a same-origin one ends it', async () => {
    // A form's types never reach the route: only JSON bodies are parsed.
    for (const type of ['application/x-www-form-urlencoded', 'text/plain']) {
      await expectRefused(
        '/auth/logout',
        { method: 'POST', headers: { 'content-type': type }, body: 'a=1' },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
    }
    // No body and no type (a beacon, a bodiless form): the route's same-origin JSON check refuses it.
    await expectRefused('/auth/logout', { method: 'POST' }, 403, 'FORBIDDEN');
    const crossSites: Record<string, string>[] = [
      { origin: 'https://evil.example.test' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const crossSite of crossSites) {
      await expectRefused(
        '/auth/logout',
        { method: 'POST', headers: { 'content-type': 'application/json', ...crossSite }, body: '{}' },
        403,
        'FORBIDDEN',
      );
    }
    expect(await sessionWorks()).toBe(true);
    const logout = await send('/auth/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: new URL(platform.gatewayUrl).origin },
      body: '{}',
    });
    expect(logout.status).toBe(200);
    expect(await sessionWorks()).toBe(false);
  });
});
