import { generateKeyPairSync } from 'node:crypto';
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

  describe('production insists on TLS to the identity providers', () => {
    const production = {
      FIKS_MODE: 'production',
      DATABASE_URL: 'postgres://db/fiks',
      SEED_DEMO_DATA: 'false',
      SESSION_ENCRYPTION_KEY: 'a'.repeat(43),
      CALLER_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
      AUDIT_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
      AUDIT_WITNESS_FILE: '/var/lib/fiks-witness/audit.jsonl',
      DOCUMENT_KEY_FILE: '/etc/fiks/document-kek.json',
      IDPORTEN_ISSUER: 'https://test.idporten.no',
      MASKINPORTEN_ISSUER: 'https://test.maskinporten.no/',
      ALTINN_URL: 'https://platform.tt02.altinn.no',
    };
    const variables = ['IDPORTEN_ISSUER', 'MASKINPORTEN_ISSUER', 'ALTINN_URL'] as const;
    const withoutTls = [
      'http://test.idporten.no',
      'HTTP://test.idporten.no',
      'hTtP://test.idporten.no',
      'test.idporten.no',
      '//test.idporten.no',
      'ws://test.idporten.no',
      'wss://test.idporten.no',
      'http://127.0.0.1:4100',
      'http://localhost:4100',
      'http://[::1]:4100',
    ];

    it('starts with https URLs, in any letter case of the scheme', () => {
      expect(loadConfig(production).idporten.issuer).toBe('https://test.idporten.no');
      expect(() => loadConfig({ ...production, IDPORTEN_ISSUER: 'HTTPS://test.idporten.no' })).not.toThrow();
    });

    for (const name of variables) {
      it(`refuses to start when ${name} is not https, naming the variable`, () => {
        for (const url of withoutTls) {
          expect(() => loadConfig({ ...production, [name]: url }), url).toThrow(ConfigError);
          expect(() => loadConfig({ ...production, [name]: url }), url).toThrow(
            new RegExp(`^${name}|\\n  ${name}`),
          );
        }
      });
    }

    it('refuses a subgraph URL that leaves the machine without TLS in production, and takes https or loopback', () => {
      for (const url of [
        'http://documents:4003/graphql',
        'http://10.0.0.7:4003/graphql',
        'http://127.example/graphql',
      ]) {
        expect(() => loadConfig({ ...production, DOCUMENTS_URL: url }), url).toThrow(
          /DOCUMENTS_URL: must be an https URL in production \(or loopback\)/,
        );
      }
      for (const url of [
        'https://documents:4003/graphql',
        'http://127.0.0.1:4003/graphql',
        'http://localhost:4003/graphql',
        'http://[::1]:4003/graphql',
      ]) {
        expect(loadConfig({ ...production, DOCUMENTS_URL: url }).subgraphUrls.documents, url).toBe(url);
      }
      // Development keeps any URL (docker-compose's subgraphs are on a network of their own).
      expect(loadConfig({ DOCUMENTS_URL: 'http://documents:4003/graphql' }).subgraphUrls.documents).toBe(
        'http://documents:4003/graphql',
      );
    });

    it("takes a subgraph's certificate and key together, or neither", () => {
      expect(() => loadConfig({ SUBGRAPH_TLS_CERT_FILE: '/etc/fiks/subgraph.pem' })).toThrow(
        /SUBGRAPH_TLS_CERT_FILE, SUBGRAPH_TLS_KEY_FILE: set both or neither/,
      );
      expect(
        loadConfig({
          SUBGRAPH_TLS_CERT_FILE: '/etc/fiks/subgraph.pem',
          SUBGRAPH_TLS_KEY_FILE: '/etc/fiks/subgraph.key',
        }).subgraph.tls,
      ).toEqual({
        certFile: '/etc/fiks/subgraph.pem',
        keyFile: '/etc/fiks/subgraph.key',
        clientCaFile: undefined,
      });
      // Client certificates are asked for in the TLS handshake, and the gateway's come with their key.
      expect(() => loadConfig({ SUBGRAPH_CLIENT_CA_FILE: '/etc/fiks/platform-ca.pem' })).toThrow(
        /SUBGRAPH_CLIENT_CA_FILE: needs SUBGRAPH_TLS_CERT_FILE/,
      );
      expect(() => loadConfig({ SUBGRAPH_CLIENT_CERT_FILE: '/etc/fiks/gateway.pem' })).toThrow(
        /SUBGRAPH_CLIENT_CERT_FILE, SUBGRAPH_CLIENT_KEY_FILE: set both or neither/,
      );
    });

    it('still allows plain HTTP to the local stand-ins in development', () => {
      const config = loadConfig({
        IDPORTEN_ISSUER: 'http://127.0.0.1:4100',
        MASKINPORTEN_ISSUER: 'http://127.0.0.1:4101/',
        ALTINN_URL: 'http://127.0.0.1:4102',
      });
      expect(config.altinn.url).toBe('http://127.0.0.1:4102');
    });
  });

  it('is documented: the README table lists every variable', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(VARIABLES)) expect(readme).toContain(`| \`${name}\``);
  });

  describe('keys', () => {
    const ed25519 = JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }));
    const production = {
      FIKS_MODE: 'production',
      DATABASE_URL: 'postgres://db/fiks',
      SEED_DEMO_DATA: 'false',
      IDPORTEN_ISSUER: 'https://test.idporten.no',
      MASKINPORTEN_ISSUER: 'https://test.maskinporten.no/',
      SESSION_ENCRYPTION_KEY: 'A'.repeat(43),
      AUDIT_SIGNING_KEY: ed25519,
      AUDIT_WITNESS_FILE: '/var/lib/fiks-witness/audit.jsonl',
      DOCUMENT_KEY_FILE: '/etc/fiks/document-kek.json',
    };

    it('requires the caller-token signing key in production', () => {
      expect(() => loadConfig(production)).toThrow(/CALLER_SIGNING_KEY: required in production/);
      expect(loadConfig({ ...production, CALLER_SIGNING_KEY: ed25519 }).callerToken.signingKey).toMatchObject(
        {
          kty: 'OKP',
          crv: 'Ed25519',
        },
      );
    });

    it('requires the document key file in production, and keeps it beside the data folder in development', () => {
      const complete = { ...production, CALLER_SIGNING_KEY: ed25519 };
      expect(loadConfig(complete).documents).toMatchObject({
        keyFile: '/etc/fiks/document-kek.json',
        createKeyFile: false,
      });
      expect(() => loadConfig({ ...complete, DOCUMENT_KEY_FILE: '' })).toThrow(
        /DOCUMENT_KEY_FILE: required in production/,
      );
      expect(loadConfig({ PGLITE_DIR: '/srv/fiks/data/pglite' }).documents).toMatchObject({
        keyFile: '/srv/fiks/keys/document-kek.json',
        createKeyFile: true,
        // The content, unlike the keys, lives in the data folder.
        contentDir: '/srv/fiks/data/documents',
      });
    });

    it.each([
      ['not JSON', 'not-json'],
      ['a public key', JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' })],
      ['another curve', JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'A', y: 'A', d: 'secret-d' })],
    ])('refuses a signing key that is %s, naming the variable without echoing the key', (_, value) => {
      expect(() => loadConfig({ CALLER_SIGNING_KEY: value })).toThrow(/CALLER_SIGNING_KEY/);
      expect(() => loadConfig({ CALLER_SIGNING_KEY: value })).not.toThrow(/secret-d|not-json/);
    });

    it('refuses an Altinn client key that is no private RSA JWK with kid, naming the variable', () => {
      const ec = JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'A', y: 'A', d: 'A', kid: 'k' });
      expect(() => loadConfig({ ALTINN_MASKINPORTEN_KEY: ec })).toThrow(/ALTINN_MASKINPORTEN_KEY/);
      expect(() => loadConfig({ ALTINN_MASKINPORTEN_KEY: '{' })).toThrow(/ALTINN_MASKINPORTEN_KEY/);
    });
  });
});
