// The edge's configuration (issue #12 items 8 and 9): TLS files come in pairs and make the default public URL https,
// CORS_ORIGINS holds exact origins only, REDIS_URL is a redis URL, and the rate-limit budgets have sensible defaults.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../common/config.ts';

describe('config / edge', () => {
  it('serves HTTPS only with both a certificate and a key, and then defaults to an https public URL', () => {
    expect(() => loadConfig({ TLS_CERT_FILE: '/etc/fiks/cert.pem' })).toThrow(ConfigError);
    expect(() => loadConfig({ TLS_KEY_FILE: '/etc/fiks/key.pem' })).toThrow(ConfigError);
    const config = loadConfig({ TLS_CERT_FILE: '/etc/fiks/cert.pem', TLS_KEY_FILE: '/etc/fiks/key.pem' });
    expect(config.gateway.tls).toEqual({ certFile: '/etc/fiks/cert.pem', keyFile: '/etc/fiks/key.pem' });
    expect(config.gateway.publicUrl).toBe('https://127.0.0.1:4000');
    expect(loadConfig({}).gateway.tls).toBeUndefined();
  });

  it('takes exact origins for CORS and refuses anything else', () => {
    expect(loadConfig({}).gateway.corsOrigins).toEqual([]);
    expect(
      loadConfig({ CORS_ORIGINS: 'https://app.example.no, http://localhost:5173' }).gateway.corsOrigins,
    ).toEqual(['https://app.example.no', 'http://localhost:5173']);
    for (const bad of [
      '*',
      'null',
      'https://app.example.no/',
      'https://app.example.no/path',
      'ftp://x.no',
      'app.no',
    ])
      expect(() => loadConfig({ CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS/);
  });

  it('counts in memory by default, in Redis when REDIS_URL names one', () => {
    const defaults = loadConfig({}).rateLimit;
    expect(defaults).toEqual({
      redisUrl: undefined,
      redisPrefix: 'fiks:rate-limit:',
      windowMs: 60_000,
      max: { integration: 1200, person: 600, address: 600 },
    });
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).rateLimit.redisUrl).toBe(
      'redis://127.0.0.1:6379',
    );
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ RATE_LIMIT_PERSON_MAX: '0' })).toThrow(/RATE_LIMIT_PERSON_MAX/);
  });
});
