// The gateway's edge (issue #12 item 9): security headers on every answer (helmet), pages keeping their own CSP,
// CORS only for the configured origins — with credentials, and nothing at all for any other — and HTTPS with HSTS
// when the gateway is given a certificate (a self-signed one made here with openssl), HSTS never over plain HTTP.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const APP_ORIGIN = 'https://app.example.test';
const OTHER_ORIGIN = 'https://evil.example.test';
const STRICT_CSP = "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'";

const corsHeaders = (headers: Headers) =>
  [...headers.keys()].filter((name) => name.startsWith('access-control-'));

describe('gateway / edge headers and CORS', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform({ CORS_ORIGINS: `${APP_ORIGIN},http://localhost:5173` });
  });
  afterAll(() => platform.stop());

  const graphql = async (headers: Record<string, string>) =>
    fetch(`${platform.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await platform.asIntegration()), ...headers },
      body: JSON.stringify({ query: '{ me { kind } }' }),
    });

  it('sends the security headers on API answers, and no HSTS over plain HTTP', async () => {
    for (const response of [await graphql({}), await fetch(`${platform.gatewayUrl}/no-such-route`)]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('content-security-policy')).toBe(STRICT_CSP);
      expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(response.headers.get('strict-transport-security')).toBeNull();
      await response.body?.cancel();
    }
  });

  it('leaves pages their own CSP, and the front-channel logout frameable', async () => {
    const page = await fetch(`${platform.gatewayUrl}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const accessLog = await fetch(`${platform.gatewayUrl}/access-log`);
    expect(accessLog.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const logout = await fetch(`${platform.gatewayUrl}/auth/frontchannel-logout?iss=x&sid=y`);
    expect(logout.status).toBe(400);
    expect(logout.headers.get('x-frame-options')).toBeNull();
    expect(logout.headers.get('content-security-policy')).toBe("default-src 'none'");
    for (const r of [page, accessLog, logout]) await r.body?.cancel();
  });

  it('answers a configured origin with CORS and credentials, its preflight too', async () => {
    const preflight = await fetch(`${platform.gatewayUrl}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: APP_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
    const response = await graphql({ origin: APP_ORIGIN });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-expose-headers')).toContain('x-request-id');
    expect(response.headers.get('vary')).toMatch(/origin/i);
    await response.body?.cancel();
  });

  it('gives any other origin no CORS header at all, and no preflight', async () => {
    const preflight = await fetch(`${platform.gatewayUrl}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: OTHER_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(404);
    expect(corsHeaders(preflight.headers)).toEqual([]);
    const body = (await preflight.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions).toEqual({
      code: 'NOT_FOUND',
      requestId: preflight.headers.get('x-request-id'),
    });
    for (const origin of [
      OTHER_ORIGIN,
      'null',
      `${APP_ORIGIN}.evil.test`,
      APP_ORIGIN.replace('https', 'http'),
    ]) {
      const response = await graphql({ origin });
      expect(corsHeaders(response.headers)).toEqual([]);
      await response.body?.cancel();
    }
  });
});

describe('gateway / HTTPS', () => {
  let platform: TestPlatform;
  let dir: string;
  let ca: Buffer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fiks-tls-'));
    // A self-signed certificate for 127.0.0.1, valid for a day (node:crypto cannot make X.509).
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    ca = await readFile(join(dir, 'cert.pem'));
    platform = await startTestPlatform({
      TLS_CERT_FILE: join(dir, 'cert.pem'),
      TLS_KEY_FILE: join(dir, 'key.pem'),
    });
  });
  afterAll(async () => {
    await platform.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A request trusting only the test's own certificate. */
  function httpsRequest(
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string },
  ) {
    return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
      (resolve, reject) => {
        const req = request(
          new URL(path, platform.gatewayUrl),
          { method: init.method ?? 'GET', headers: init.headers, ca },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks).toString(),
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(init.body);
      },
    );
  }

  it('serves GraphQL over HTTPS with HSTS', async () => {
    expect(platform.gatewayUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await httpsRequest('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await platform.asIntegration()) },
      body: JSON.stringify({ query: '{ me { kind } }' }),
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { me: { kind: 'INTEGRATION' } } });
    expect(answer.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('does not answer plain HTTP on its port', async () => {
    const plain = platform.gatewayUrl.replace('https:', 'http:');
    await expect(fetch(`${plain}/healthz`)).rejects.toThrow();
  });
});
