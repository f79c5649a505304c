import { randomUUID } from 'node:crypto';
import { createRemoteJWKSet, importJWK, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGS } from '../../common/demo-identities.ts';
import { generateRsaKeyPair, type RsaKeyPair } from '../../simulators/keys.ts';
import { startMaskinporten, type MaskinportenSimulator } from '../../simulators/maskinporten.ts';
import {
  createJwtGrant,
  getMaskinportenToken,
  MaskinportenTokenError,
} from '../../common/maskinporten-client.ts';

const CLIENT_ID = 'vendor-case-system';
let maskinporten: MaskinportenSimulator;
let key: RsaKeyPair;
let otherKey: RsaKeyPair;

beforeAll(async () => {
  [key, otherKey] = await Promise.all([generateRsaKeyPair('RS256'), generateRsaKeyPair('RS256')]);
  maskinporten = await startMaskinporten({
    mode: 'test',
    clients: [
      {
        clientId: CLIENT_ID,
        orgnr: DEMO_ORGS.vendor.orgnr,
        scopes: ['ks:fiks'],
        publicKeys: [key.publicJwk],
      },
    ],
  });
});

afterAll(async () => {
  await maskinporten?.stop();
});

function request(overrides: Partial<Parameters<typeof getMaskinportenToken>[0]> = {}) {
  return {
    issuer: maskinporten.issuer,
    clientId: CLIENT_ID,
    privateKey: key.privateJwk,
    scope: 'ks:fiks',
    ...overrides,
  };
}

async function post(assertion: string, grantType = 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
  const response = await fetch(maskinporten.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: grantType, assertion }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A grant with chosen claims and header, for the cases the client helper would never produce. */
async function craft(claims: JWTPayload, header: { kid?: string } = {}, signer = key) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: 'ks:fiks', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, ...header })
    .setIssuer(CLIENT_ID)
    .setAudience(maskinporten.issuer)
    .setIssuedAt(claims.iat ?? now)
    .setExpirationTime(claims.exp ?? now + 60)
    .setJti(randomUUID())
    .sign(await importJWK(signer.privateJwk, 'RS256'));
}

describe('simulators / maskinporten', () => {
  it('publishes its metadata, with the JWKS at <issuer>jwk', async () => {
    const metadata = (await (
      await fetch(`${maskinporten.issuer}.well-known/oauth-authorization-server`)
    ).json()) as {
      issuer: string;
      jwks_uri: string;
      grant_types_supported: string[];
    };
    expect(metadata.issuer).toBe(maskinporten.issuer);
    expect(metadata.issuer.endsWith('/')).toBe(true);
    expect(metadata.jwks_uri).toBe(`${maskinporten.issuer}jwk`);
    expect(metadata.grant_types_supported).toEqual(['urn:ietf:params:oauth:grant-type:jwt-bearer']);
  });

  it('issues a JWT access token with the consumer claim for a valid grant', async () => {
    const token = await getMaskinportenToken(request());
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 120, scope: 'ks:fiks' });
    const jwks = createRemoteJWKSet(new URL(maskinporten.jwksUri));
    const { payload } = await jwtVerify(token.access_token, jwks, {
      issuer: maskinporten.issuer,
      algorithms: ['RS256'],
    });
    expect(payload).toMatchObject({
      client_id: CLIENT_ID,
      client_amr: 'private_key_jwt',
      consumer: { authority: 'iso6523-actorid-upis', ID: `0192:${DEMO_ORGS.vendor.orgnr}` },
      scope: 'ks:fiks',
      token_type: 'Bearer',
    });
    expect(payload.jti).toBeTypeOf('string');
    expect(payload.aud).toBeUndefined();
  });

  it('restricts the audience when the grant carries a resource', async () => {
    const token = await getMaskinportenToken(request({ resource: 'https://api.fiks.test/' }));
    const jwks = createRemoteJWKSet(new URL(maskinporten.jwksUri));
    const { payload } = await jwtVerify(token.access_token, jwks, { audience: 'https://api.fiks.test/' });
    expect(payload.aud).toBe('https://api.fiks.test/');
  });

  it('refuses a replayed grant (same jti)', async () => {
    const assertion = await createJwtGrant(request());
    expect((await post(assertion)).status).toBe(200);
    expect(await post(assertion)).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: expect.stringContaining('used before') as string },
    });
  });

  it('refuses a grant whose aud is not the issuer', async () => {
    const refused = getMaskinportenToken(
      request({ issuer: 'https://test.maskinporten.no/', tokenEndpoint: maskinporten.tokenEndpoint }),
    );
    await expect(refused).rejects.toMatchObject({ code: 'invalid_grant', status: 400 });
  });

  it('refuses an expired grant', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { status, body } = await post(await craft({ iat: now - 200, exp: now - 100 }));
    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/expired/) as string,
    });
  });

  it('refuses a grant issued more than 10 seconds from the server clock', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { body } = await post(await craft({ iat: now - 60, exp: now + 30 }));
    expect(body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/iat/) as string,
    });
  });

  it('refuses a grant that lives longer than 120 seconds', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { body } = await post(await craft({ iat: now, exp: now + 121 }));
    expect(body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/120/) as string,
    });
  });

  it('refuses a grant whose kid is not registered on the client', async () => {
    const { status, body } = await post(await craft({}, { kid: 'unknown-kid' }));
    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/kid/) as string,
    });
  });

  it('refuses a grant signed by another key than the one its kid names', async () => {
    const { body } = await post(await craft({}, {}, otherKey));
    expect(body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/signature/) as string,
    });
  });

  it('refuses a scope the client has not been granted', async () => {
    const refused = getMaskinportenToken(
      request({ scope: ['ks:fiks', 'altinn:accessmanagement/authorizedparties.resourceowner'] }),
    );
    await expect(refused).rejects.toBeInstanceOf(MaskinportenTokenError);
    await expect(getMaskinportenToken(request({ scope: 'skatteetaten:secret' }))).rejects.toMatchObject({
      code: 'invalid_scope',
      status: 400,
    });
  });

  it('refuses another grant type', async () => {
    const { status, body } = await post(await createJwtGrant(request()), 'client_credentials');
    expect(status).toBe(400);
    expect(body.error).toBe('unsupported_grant_type');
  });

  it('refuses to start in production mode', async () => {
    await expect(startMaskinporten({ mode: 'production' })).rejects.toThrow(/refuses to start in production/);
  });
});
