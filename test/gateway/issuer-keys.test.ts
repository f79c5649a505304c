// Production trusts an identity provider's keys only over TLS: a discovery document whose jwks_uri is not https is
// refused at runtime (the configuration rules in common/config.ts cannot see it), failing closed with the reason
// kept as the cause the gateway logs.
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../gateway/auth/auth-error.ts';
import { discoverIssuerKeys, verifyIssuedToken } from '../../gateway/auth/issuer-keys.ts';

const ISSUER = 'https://idp.invalid';

/** A fetch that answers only the discovery document: no network, and the keys themselves are never fetched. */
function discoveryAnswering(jwksUri: string): typeof fetch {
  return (input) => {
    expect(input).toBe(`${ISSUER}/.well-known/openid-configuration`);
    return Promise.resolve(Response.json({ issuer: ISSUER, jwks_uri: jwksUri }));
  };
}

const WITHOUT_TLS = [
  'http://idp.invalid/jwks',
  'HTTP://idp.invalid/jwks',
  'hTtP://idp.invalid/jwks',
  'ws://idp.invalid/jwks',
  'wss://idp.invalid/jwks',
  'ftp://idp.invalid/jwks',
  'http://127.0.0.1:4100/jwks',
  'http://localhost/jwks',
  '/jwks',
  '//idp.invalid/jwks',
  'idp.invalid/jwks',
];

describe('issuer keys / TLS in production', () => {
  for (const jwksUri of WITHOUT_TLS) {
    it(`refuses a jwks_uri of ${jwksUri} with SERVICE_UNAVAILABLE, naming why in the cause`, async () => {
      const keys = discoverIssuerKeys(ISSUER, 'openid-configuration', {
        requireHttps: true,
        fetch: discoveryAnswering(jwksUri),
      });
      const error = (await verifyIssuedToken('a.b.c', keys, {}).catch((e: unknown) => e)) as AuthError;
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(String((error.cause as Error).message)).toMatch(/jwks_uri|Invalid URL/);
    });
  }

  it('accepts an https jwks_uri, in any letter case of the scheme', async () => {
    for (const jwksUri of ['https://idp.invalid/jwks', 'HTTPS://idp.invalid/jwks']) {
      const keys = discoverIssuerKeys(ISSUER, 'openid-configuration', {
        requireHttps: true,
        fetch: discoveryAnswering(jwksUri),
      });
      await expect(keys.keys()).resolves.toBeTypeOf('function');
    }
  });

  it('refuses an issuer that is not https before asking it anything', async () => {
    const keys = discoverIssuerKeys('http://idp.invalid', 'openid-configuration', {
      requireHttps: true,
      fetch: () => Promise.reject(new Error('must not be called')),
    });
    await expect(keys.keys()).rejects.toThrow(/not https/);
  });

  it('allows plain HTTP to the local stand-ins in development', async () => {
    const keys = discoverIssuerKeys(ISSUER, 'openid-configuration', {
      fetch: discoveryAnswering('http://127.0.0.1:4100/jwks'),
    });
    await expect(keys.keys()).resolves.toBeTypeOf('function');
  });
});
