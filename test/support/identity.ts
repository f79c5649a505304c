// Credentials for whole-platform tests, obtained from the local stand-ins exactly as a real caller would.
import * as client from 'openid-client';
import { loginWithTestId, TestBrowser } from '../../simulators/idporten-browser.ts';
import { getMaskinportenToken } from '../../common/maskinporten-client.ts';
import type { RunningPlatform } from '../../platform/start.ts';

/** What an integration call needs of a platform: its stand-ins and the demo integration (the bench's separate
 * processes have no RunningPlatform, only these). */
type IntegrationCallerPlatform = Pick<RunningPlatform, 'simulators' | 'demoIntegration'>;

function simulatorsOf(platform: Pick<RunningPlatform, 'simulators'>) {
  if (!platform.simulators) throw new Error('the platform runs without its local stand-ins');
  return platform.simulators;
}

/** A Maskinporten token for the demo vendor's case system (scope ks:fiks, consumer = the vendor). */
export async function maskinportenToken(platform: Pick<RunningPlatform, 'simulators'>): Promise<string> {
  const { maskinporten, demoClients } = simulatorsOf(platform);
  const token = await getMaskinportenToken({
    issuer: maskinporten.issuer,
    tokenEndpoint: maskinporten.tokenEndpoint,
    clientId: demoClients.integration.clientId,
    privateKey: demoClients.integration.privateJwk,
    scope: 'ks:fiks',
  });
  return token.access_token;
}

/** The three headers of an integration call (FIKS-FACTS §1). */
export async function integrationHeaders(
  platform: IntegrationCallerPlatform,
  overrides: { id?: string; password?: string; token?: string } = {},
): Promise<Record<string, string>> {
  const demo = platform.demoIntegration;
  if (!demo) throw new Error('the platform runs without the demo integration');
  return {
    authorization: `Bearer ${overrides.token ?? (await maskinportenToken(platform))}`,
    IntegrasjonId: overrides.id ?? demo.id,
    IntegrasjonPassord: overrides.password ?? demo.password,
  };
}

/** Logs a synthetic person in at the local ID-porten through the vendor frontend client; returns the access token. */
export async function personAccessToken(
  platform: RunningPlatform,
  pid: string,
  level: 'substantial' | 'high' = 'substantial',
): Promise<string> {
  const { idporten, vendorFrontend } = simulatorsOf(platform);
  const configuration = await client.discovery(
    new URL(idporten.issuer),
    vendorFrontend.clientId,
    vendorFrontend.clientSecret,
    undefined,
    { execute: [client.allowInsecureRequests] },
  );
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: vendorFrontend.redirectUri,
    scope: 'openid ks:fiks',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const callback = await loginWithTestId(url, { pid, level });
  const tokens = await client.authorizationCodeGrant(configuration, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  return tokens.access_token;
}

/** A browser login through the gateway (its /auth/login → ID-porten's test login → its callback); returns the
 * Cookie header that carries the session. */
export async function browserLogin(
  platform: RunningPlatform,
  pid: string,
  level: 'substantial' | 'high' = 'substantial',
): Promise<{ cookie: string; browser: TestBrowser }> {
  const browser = new TestBrowser();
  const start = await browser.request(new URL('/auth/login', platform.gatewayUrl));
  const location = start.headers.get('location');
  if (start.status !== 303 || !location)
    throw new Error(`expected a redirect to ID-porten, got ${start.status}`);
  const callback = await loginWithTestId(location, { pid, level }, browser);
  const landed = await browser.request(callback);
  const session = landed.headers.getSetCookie().find((line) => line.startsWith('fiks_session='));
  if (!session) throw new Error(`login failed: ${landed.status}`);
  return { cookie: session.split(';')[0]!, browser };
}
