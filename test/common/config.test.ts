import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, VARIABLES, loadConfig } from '../../common/config.ts';

describe('config', () => {
  it('starts from documented defaults', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('development');
    expect(config.gateway.port).toBe(4000);
    expect(config.subgraphUrls.documents).toBe('http://127.0.0.1:4003/graphql');
    expect(config.callerToken.jwksUrl).toBe('http://127.0.0.1:4000/.well-known/caller-jwks.json');
  });

  it('names the variable when a value is bad', () => {
    expect(() => loadConfig({ GATEWAY_PORT: 'eighty' })).toThrow(/GATEWAY_PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
  });

  it('does not echo a bad value back (it may be a secret)', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://user:hunter2@db' });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });

  it('refuses embedded PGlite and demo data in production', () => {
    expect(() => loadConfig({ FIKS_MODE: 'production', SEED_DEMO_DATA: 'false' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ FIKS_MODE: 'production', DATABASE_URL: 'postgres://db/fiks' })).toThrow(
      /SEED_DEMO_DATA/,
    );
  });

  it('is documented: the README table lists every variable', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(VARIABLES)) expect(readme).toContain(`| \`${name}\``);
  });
});
