import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { startIdporten, type IdportenSimulator } from '../../simulators/idporten.ts';
import { loginWithTestId, logoutWithTestId, TestBrowser } from '../../simulators/idporten-browser.ts';

// The relying party's own URLs: the browser stops at the first redirect to them, so nothing listens there.
const RP = 'http://127.0.0.1:9';
const AUDIENCE = 'https://gateway.fiks.test/';
const GATEWAY = {
  clientId: 'fiks-gateway',
  clientSecret: 'test-secret-not-for-real-use-0123456789',
  redirectUris: [`${RP}/callback`],
  postLogoutRedirectUris: [`${RP}/logged-out`],
  frontchannelLogoutUri: `${RP}/frontchannel-logout`,
  tokenEndpointAuthMethod: 'client_secret_post' as const,
  orgnr: DEMO_ORGS.vendor.orgnr,
};
const BASIC = {
  clientId: 'basic-client',
  clientSecret: 'another-test-secret-0123456789abcdef',
  redirectUris: [`${RP}/basic/callback`],
};

let idporten: IdportenSimulator;
let config: client.Configuration;

interface LoginInput {
  pid: string;
  level?: 'substantial' | 'high';
  acrValues?: string;
  browser?: TestBrowser;
  configuration?: client.Configuration;
  redirectUri?: string;
}

async function authorizationRequest(input: LoginInput) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(input.configuration ?? config, {
    redirect_uri: input.redirectUri ?? GATEWAY.redirectUris[0]!,
    scope: 'openid ks:fiks',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...(input.acrValues ? { acr_values: input.acrValues } : {}),
  });
  return { url, checks: { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce } };
}

async function logIn(input: LoginInput) {
  const { url, checks } = await authorizationRequest(input);
  const callback = await loginWithTestId(url, { pid: input.pid, level: input.level }, input.browser);
  return client.authorizationCodeGrant(input.configuration ?? config, callback, checks);
}

beforeAll(async () => {
  idporten = await startIdporten({
    mode: 'test',
    clients: [GATEWAY, BASIC],
    audience: AUDIENCE,
    lifetimes: { accessToken: 60, idToken: 60, refreshToken: 120 },
  });
  config = await client.discovery(
    new URL(idporten.issuer),
    GATEWAY.clientId,
    GATEWAY.clientSecret,
    undefined,
    {
      execute: [client.allowInsecureRequests],
    },
  );
});

afterAll(async () => {
  await idporten?.stop();
});

describe('simulators / idporten', () => {
  it('publishes discovery for code flow with PKCE S256, RS256 and both levels of assurance', () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(idporten.issuer);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.id_token_signing_alg_values_supported).toContain('RS256');
    expect(metadata.acr_values_supported).toEqual(['idporten-loa-substantial', 'idporten-loa-high']);
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    expect(metadata.end_session_endpoint).toBe(`${idporten.issuer}/logout`);
    expect(metadata.frontchannel_logout_supported).toBe(true);
  });

  it('logs a person in; the id_token carries pid, acr, amr as an array and sid', async () => {
    const tokens = await logIn({ pid: DEMO_PERSONS.kari.pid });
    const claims = tokens.claims()!;
    expect(claims.pid).toBe(DEMO_PERSONS.kari.pid);
    expect(claims.acr).toBe('idporten-loa-substantial');
    expect(claims.amr).toEqual(['TestID']);
    expect(typeof claims.sid).toBe('string');
    // FIKS-FACTS §3: sub is pairwise, never the fødselsnummer.
    expect(claims.sub).not.toBe(DEMO_PERSONS.kari.pid);
    expect(claims.aud).toBe(GATEWAY.clientId);
  });

  it('issues a JWT access token for the gateway with pid, acr and consumer, verifiable against the JWKS', async () => {
    const tokens = await logIn({ pid: DEMO_PERSONS.liv.pid });
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: idporten.issuer,
      audience: AUDIENCE,
      algorithms: ['RS256'],
    });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({
      pid: DEMO_PERSONS.liv.pid,
      acr: 'idporten-loa-substantial',
      client_id: GATEWAY.clientId,
      client_amr: 'client_secret_post',
      scope: 'openid ks:fiks',
      consumer: { authority: 'iso6523-actorid-upis', ID: `0192:${DEMO_ORGS.vendor.orgnr}` },
    });
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  it('refreshes tokens, rotating the refresh token and keeping pid and acr', async () => {
    const first = await logIn({ pid: DEMO_PERSONS.ola.pid, level: 'high' });
    expect(first.refresh_token).toBeTypeOf('string');
    const second = await client.refreshTokenGrant(config, first.refresh_token!);
    expect(decodeJwt(second.access_token)).toMatchObject({
      pid: DEMO_PERSONS.ola.pid,
      acr: 'idporten-loa-high',
    });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    // A refresh token is single-use once rotated; reuse is refused.
    await expect(client.refreshTokenGrant(config, first.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('gives acr high when the person picks high', async () => {
    const tokens = await logIn({ pid: DEMO_PERSONS.per.pid, level: 'high' });
    expect(tokens.claims()!.acr).toBe('idporten-loa-high');
  });

  it('offers only high when acr_values asks for high, and refuses a lower pick', async () => {
    const { url } = await authorizationRequest({
      pid: DEMO_PERSONS.siri.pid,
      acrValues: 'idporten-loa-high',
    });
    const browser = new TestBrowser();
    const page = await browser.follow(url, url.origin);
    const html = await page.response!.text();
    expect(html).toContain('value="high"');
    expect(html).not.toContain('value="substantial"');
    const action = new URL(/action="([^"]+\/login)"/.exec(html)![1]!, page.url);
    const refused = await browser.request(action, { pid: DEMO_PERSONS.siri.pid, level: 'substantial' });
    expect(refused.status).toBe(400);
  });

  it('steps up: a substantial session asked for high shows the login page again', async () => {
    const browser = new TestBrowser();
    await logIn({ pid: DEMO_PERSONS.hans.pid, level: 'substantial', browser });
    const tokens = await logIn({
      pid: DEMO_PERSONS.hans.pid,
      level: 'high',
      acrValues: 'idporten-loa-high',
      browser,
    });
    expect(tokens.claims()!.acr).toBe('idporten-loa-high');
  });

  it('refuses an authorization request without PKCE', async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: GATEWAY.redirectUris[0]!,
      scope: 'openid',
      state: client.randomState(),
    });
    const step = await new TestBrowser().follow(url, url.origin);
    expect(step.leftTo?.searchParams.get('error')).toBe('invalid_request');
  });

  it('accepts client_secret_basic for a client registered with it', async () => {
    const basic = await client.discovery(
      new URL(idporten.issuer),
      BASIC.clientId,
      undefined,
      client.ClientSecretBasic(BASIC.clientSecret),
      { execute: [client.allowInsecureRequests] },
    );
    const tokens = await logIn({
      pid: DEMO_PERSONS.kari.pid,
      configuration: basic,
      redirectUri: BASIC.redirectUris[0],
    });
    expect(decodeJwt(tokens.access_token).client_amr).toBe('client_secret_basic');
  });

  it('logs out through end_session and notifies the client over the front channel with iss and sid', async () => {
    const browser = new TestBrowser();
    const tokens = await logIn({ pid: DEMO_PERSONS.kari.pid, browser });
    const endSession = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: GATEWAY.postLogoutRedirectUris[0]!,
      state: 'after-logout',
    });
    const result = await logoutWithTestId(endSession, browser);
    expect(result.frontChannelUrls).toHaveLength(1);
    const frontChannel = result.frontChannelUrls[0]!;
    expect(frontChannel.origin + frontChannel.pathname).toBe(GATEWAY.frontchannelLogoutUri);
    expect(frontChannel.searchParams.get('iss')).toBe(idporten.issuer);
    expect(frontChannel.searchParams.get('sid')).toBe(tokens.claims()!.sid);
    expect(result.continueTo?.href).toBe(`${GATEWAY.postLogoutRedirectUris[0]}?state=after-logout`);
    // The session is gone: a new authorization request shows the login page instead of signing on silently.
    const { url } = await authorizationRequest({ pid: DEMO_PERSONS.kari.pid });
    const step = await browser.follow(url, url.origin);
    expect(step.leftTo).toBeUndefined();
    expect(await step.response!.text()).toContain('TestID');
  });

  it('answers a login page opened without its interaction cookie with a page asking to start again', async () => {
    const response = await fetch(`${idporten.issuer}/interaction/not-a-real-interaction`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Start på nytt');
  });

  it('refuses at start a client whose redirect URIs are on two hosts (pairwise sub needs one sector)', async () => {
    const client = { ...BASIC, redirectUris: [`${RP}/a`, 'http://localhost:9/b'] };
    await expect(startIdporten({ mode: 'test', clients: [client] })).rejects.toThrow(
      /basic-client is not valid/,
    );
  });

  it('refuses to start in production mode', async () => {
    await expect(startIdporten({ mode: 'production' })).rejects.toThrow(/refuses to start in production/);
  });
});
