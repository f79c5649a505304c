// Authentication through the whole platform, with credentials from the local stand-ins: every way in, and every
// way to be refused, answered with the right status and code and no data.
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { getMaskinportenToken } from '../../common/maskinporten-client.ts';
import { generateRsaKeyPair } from '../../simulators/keys.ts';
import {
  browserLogin,
  integrationHeaders,
  maskinportenToken,
  personAccessToken,
} from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const ME = '{ me { kind pid acr integrationId orgnr actingFor { orgnr roles } } }';
const VAGUE = /^Autentisering feilet for integrasjon med id /;

describe('gateway / authentication', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(() => platform.stop());

  function expectRefused(
    response: Awaited<ReturnType<TestPlatform['graphql']>>,
    status: number,
    code: string,
  ) {
    expect(response.status).toBe(status);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.extensions?.code).toBe(code);
  }

  describe('integrations', () => {
    it('lets the demo integration in with a Maskinporten token, id and password', async () => {
      const response = await platform.graphql(ME, {}, await integrationHeaders(platform));
      expect(response.body).toEqual({
        data: {
          me: {
            kind: 'INTEGRATION',
            pid: null,
            acr: null,
            integrationId: platform.demoIntegration!.id,
            orgnr: DEMO_ORGS.vendor.orgnr,
            actingFor: null,
          },
        },
      });
    });

    it('answers a wrong password, an unknown id and a malformed id with one identical vague 401', async () => {
      const token = await maskinportenToken(platform);
      const wrongPassword = await platform.graphql(
        ME,
        {},
        await integrationHeaders(platform, { token, password: 'x'.repeat(32) }),
      );
      const unknown = await platform.graphql(
        ME,
        {},
        await integrationHeaders(platform, { token, id: '00000000-0000-4000-8000-000000000000' }),
      );
      for (const response of [wrongPassword, unknown]) {
        expectRefused(response, 401, 'UNAUTHENTICATED');
        expect(response.body.errors?.[0]?.message).toMatch(VAGUE);
      }
    });

    it('refuses an integration whose token names another organisation, with the same vague 401', async () => {
      const key = await generateRsaKeyPair('RS256');
      platform.simulators!.maskinporten.register({
        clientId: 'other-vendor',
        orgnr: DEMO_ORGS.heiberg.orgnr,
        scopes: ['ks:fiks'],
        publicKeys: [key.publicJwk],
      });
      const other = await getMaskinportenToken({
        issuer: platform.simulators!.maskinporten.issuer,
        tokenEndpoint: platform.simulators!.maskinporten.tokenEndpoint,
        clientId: 'other-vendor',
        privateKey: key.privateJwk,
        scope: 'ks:fiks',
      });
      const response = await platform.graphql(
        ME,
        {},
        await integrationHeaders(platform, { token: other.access_token }),
      );
      expectRefused(response, 401, 'UNAUTHENTICATED');
      expect(response.body.errors?.[0]?.message).toMatch(VAGUE);
    });

    it('refuses a token without the ks:fiks scope as an invalid access token', async () => {
      const key = await generateRsaKeyPair('RS256');
      platform.simulators!.maskinporten.register({
        clientId: 'no-fiks-scope',
        orgnr: DEMO_ORGS.vendor.orgnr,
        scopes: ['other:scope'],
        publicKeys: [key.publicJwk],
      });
      const token = await getMaskinportenToken({
        issuer: platform.simulators!.maskinporten.issuer,
        tokenEndpoint: platform.simulators!.maskinporten.tokenEndpoint,
        clientId: 'no-fiks-scope',
        privateKey: key.privateJwk,
        scope: 'other:scope',
      });
      const response = await platform.graphql(
        ME,
        {},
        await integrationHeaders(platform, { token: token.access_token }),
      );
      expectRefused(response, 401, 'UNAUTHENTICATED');
      expect(response.body.errors?.[0]?.message).toBe('Klarte ikke å validere access_token');
    });

    it('refuses forged, expired, wrong-issuer and unsigned tokens as invalid access tokens', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const issuer = platform.simulators!.maskinporten.issuer;
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        client_id: 'demo-vendor-case-system',
        scope: 'ks:fiks',
        consumer: { authority: 'iso6523-actorid-upis', ID: `0192:${DEMO_ORGS.vendor.orgnr}` },
      };
      const sign = (iss: string, iat: number, exp: number) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
          .setIssuer(iss)
          .setIssuedAt(iat)
          .setExpirationTime(exp)
          .sign(privateKey);
      const encode = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const tokens = {
        forged: await sign(issuer, now, now + 60),
        wrongIssuer: await sign('https://maskinporten.example/', now, now + 60),
        unsigned: `${encode({ alg: 'none' })}.${encode({ ...claims, iss: issuer, iat: now, exp: now + 60 })}.`,
        garbage: 'not-a-jwt',
      };
      for (const [name, token] of Object.entries(tokens)) {
        const response = await platform.graphql(ME, {}, await integrationHeaders(platform, { token }));
        expect(response.status, name).toBe(401);
        expect(response.body.errors?.[0]?.message, name).toBe('Klarte ikke å validere access_token');
      }
    });

    it('refuses an integration call that lacks the password header', async () => {
      const headers = await integrationHeaders(platform);
      delete headers.IntegrasjonPassord;
      expectRefused(await platform.graphql(ME, {}, headers), 401, 'UNAUTHENTICATED');
    });

    it('refuses a Maskinporten token without integration headers', async () => {
      const response = await platform.graphql(
        ME,
        {},
        { authorization: `Bearer ${await maskinportenToken(platform)}` },
      );
      expectRefused(response, 401, 'UNAUTHENTICATED');
    });

    it("lets an integration act for a person with the person's ID-porten token", async () => {
      const token = await personAccessToken(platform, DEMO_PERSONS.ola.pid);
      const response = await platform.graphql(ME, {}, await integrationHeaders(platform, { token }));
      expect(response.body.data?.me).toEqual({
        kind: 'INTEGRATION',
        pid: DEMO_PERSONS.ola.pid,
        acr: 'idporten-loa-substantial',
        integrationId: platform.demoIntegration!.id,
        orgnr: DEMO_ORGS.vendor.orgnr,
        actingFor: null,
      });
    });
  });

  describe('persons logged in through the gateway', () => {
    it("carries the session's person to the subgraphs, and refuses the cookie after logout", async () => {
      const { cookie } = await browserLogin(platform, DEMO_PERSONS.ola.pid, 'high');
      const response = await platform.graphql(ME, {}, { cookie });
      expect(response.body.data?.me).toMatchObject({
        kind: 'PERSON',
        pid: DEMO_PERSONS.ola.pid,
        acr: 'idporten-loa-high',
      });

      const logout = await fetch(`${platform.gatewayUrl}/auth/logout`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(logout.status).toBe(200);
      expect(((await logout.json()) as { endSessionUrl: string }).endSessionUrl).toContain('id_token_hint=');
      const after = await platform.graphql(ME, {}, { cookie });
      expectRefused(after, 401, 'UNAUTHENTICATED');
      expect(after.body.errors?.[0]?.extensions?.loginUrl).toBe(`${platform.gatewayUrl}/auth/login`);
    });
  });

  describe('persons with a Bearer ID-porten token', () => {
    it('lets a person in and carries pid and acr to the subgraphs', async () => {
      const token = await personAccessToken(platform, DEMO_PERSONS.ola.pid, 'high');
      const response = await platform.graphql(ME, {}, { authorization: `Bearer ${token}` });
      expect(response.body.data?.me).toEqual({
        kind: 'PERSON',
        pid: DEMO_PERSONS.ola.pid,
        acr: 'idporten-loa-high',
        integrationId: null,
        orgnr: null,
        actingFor: null,
      });
    });

    it('acts for an organisation where Altinn gives the person a role', async () => {
      const token = await personAccessToken(platform, DEMO_PERSONS.liv.pid);
      const response = await platform.graphql(
        ME,
        {},
        { authorization: `Bearer ${token}`, 'fiks-act-for': DEMO_ORGS.vendor.orgnr },
      );
      const me = response.body.data?.me as {
        actingFor: { orgnr: string; roles: string[] };
      };
      expect(me.actingFor.orgnr).toBe(DEMO_ORGS.vendor.orgnr);
      expect(me.actingFor.roles).toContain('DAGL');
    });

    it('refuses to act for an organisation where the person has no role', async () => {
      const token = await personAccessToken(platform, DEMO_PERSONS.kari.pid);
      const response = await platform.graphql(
        ME,
        {},
        { authorization: `Bearer ${token}`, 'fiks-act-for': DEMO_ORGS.vendor.orgnr },
      );
      expectRefused(response, 403, 'FORBIDDEN');
    });

    it('refuses a request with no credential and points to the login', async () => {
      const response = await platform.graphql(ME);
      expectRefused(response, 401, 'UNAUTHENTICATED');
      expect(response.body.errors?.[0]?.extensions?.loginUrl).toBe(`${platform.gatewayUrl}/auth/login`);
    });
  });
});

describe('gateway / authentication with a higher minimum level', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform({ ACR_MINIMUM: 'idporten-loa-high' });
  });
  afterAll(() => platform.stop());

  it('refuses a person logged in at substantial when high is required', async () => {
    const token = await personAccessToken(platform, DEMO_PERSONS.ola.pid, 'substantial');
    const response = await platform.graphql(ME, {}, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
