// A gateway-shaped app with the session routes and a /whoami route, the local ID-porten, and a browser that logs in
// through both. The app's URL must be registered at ID-porten before the sessions module can be created, and the
// routes must exist before fastify is ready, so a bare node:http server listens first and hands its requests to
// the fastify app once it is built.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyRequest } from 'fastify';
import * as client from 'openid-client';
import type { Acr } from '../../access/principal.ts';
import { createHttpServer } from '../../common/http-server.ts';
import { createLogger } from '../../common/logger.ts';
import { AuthError } from '../../gateway/auth/auth-error.ts';
import { createSessions, type SessionOptions, type Sessions } from '../../gateway/session/index.ts';
import { openDatabase, type Db } from '../../db/database.ts';
import { startIdporten, type IdportenSimulator } from '../../simulators/idporten.ts';
import { loginWithTestId, logoutWithTestId, TestBrowser } from '../../simulators/idporten-browser.ts';
import type { Level } from '../../simulators/idporten-acr.ts';
import { createTestDatabase } from '../support/database.ts';

export const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64url');
export const CLIENT_ID = 'fiks-gateway';
export const CLIENT_SECRET = 'session-test-secret-not-for-real-use-0123';
/** ID-porten's default access-token lifetime (FIKS-FACTS §3). */
export const ACCESS_TOKEN_SECONDS = 120;

/** Another service the same person uses, on the same ID-porten session (single sign-on). */
const OTHER = {
  clientId: 'other-service',
  clientSecret: 'other-service-secret-not-for-real-use-01',
  redirectUris: ['http://127.0.0.1:9/other/callback'],
  postLogoutRedirectUris: ['http://127.0.0.1:9/other/'],
};

export interface Clock {
  now: number;
  advance(ms: number): void;
}

export interface Harness {
  appUrl: string;
  idporten: IdportenSimulator;
  db: Db;
  sessions: Sessions;
  clock: Clock;
  /** The options the sessions module was created with, for a second instance (another gateway process). */
  options: SessionOptions;
  /** Every log line the app wrote (level debug and up), to check that nothing secret is logged. */
  logs: string[];
  stop(): Promise<void>;
}

export interface HarnessOptions {
  acrMinimum?: Acr;
  idleMinutes?: number;
  maxMinutes?: number;
  /** @default effectively unlimited: the harness clock stands still unless a test advances it */
  loginRate?: SessionOptions['loginRate'];
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn();
  };
  try {
    const testDb = await createTestDatabase();
    stops.push(() => testDb.drop());
    const db = await openDatabase(testDb.target);
    stops.push(() => db.close());

    let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
      res.writeHead(503).end();
    };
    const server = createServer((req, res) => handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const idporten = await startIdporten({
      mode: 'development',
      clients: [
        {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUris: [`${appUrl}/auth/callback`],
          postLogoutRedirectUris: [`${appUrl}/`],
          frontchannelLogoutUri: `${appUrl}/auth/frontchannel-logout`,
        },
        OTHER,
      ],
      lifetimes: { accessToken: ACCESS_TOKEN_SECONDS, idToken: 120, refreshToken: 600 },
    });
    stops.push(() => idporten.stop());

    let now = Date.now();
    const clock: Clock = {
      get now() {
        return now;
      },
      advance(ms) {
        now += ms;
      },
    };
    const sessionOptions: SessionOptions = {
      db,
      idporten: {
        issuer: idporten.issuer,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        acrMinimum: options.acrMinimum ?? 'idporten-loa-substantial',
      },
      publicUrl: appUrl,
      encryptionKey: ENCRYPTION_KEY,
      idleMinutes: options.idleMinutes ?? 30,
      maxMinutes: options.maxMinutes ?? 120,
      allowInsecureRequests: true,
      loginRate: options.loginRate ?? { perMinute: 1_000_000, burst: 1_000_000 },
      now: () => now,
    };
    const sessions = await createSessions(sessionOptions);

    const logs: string[] = [];
    const app = createHttpServer({
      logger: createLogger({
        level: 'debug',
        name: 'session-test',
        destination: { write: (line: string) => void logs.push(line) },
      }),
      maxBodyBytes: 102_400,
    });
    await sessions.register(app);
    app.get('/whoami', async (request, reply) => {
      try {
        return { principal: await sessions.authenticate(request) };
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
        return reply
          .code(error.status)
          .send({ error: { code: error.code, message: error.message, extensions: error.extensions } });
      }
    });
    await app.ready();
    stops.push(() => app.close());
    handle = (req, res) => app.routing(req, res);

    return { appUrl, idporten, db, sessions, clock, options: sessionOptions, logs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The first step of a login: the gateway's redirect to ID-porten (and the login cookie it sets). */
export async function startLogin(h: Harness, browser: TestBrowser, returnTo?: string): Promise<URL> {
  const url = new URL('/auth/login', h.appUrl);
  if (returnTo !== undefined) url.searchParams.set('returnTo', returnTo);
  const response = await browser.request(url);
  if (response.status !== 303) throw new Error(`expected a redirect to ID-porten, got ${response.status}`);
  return new URL(response.headers.get('location')!);
}

export interface LoggedIn {
  browser: TestBrowser;
  /** The fiks_session cookie's value. */
  cookie: string;
  /** The Set-Cookie line that carried it. */
  setCookie: string;
  /** Where the callback sent the browser. */
  location: string;
}

/** The callback's answer, and the session cookie it set, if any. */
export async function finishLogin(browser: TestBrowser, callback: URL) {
  const response = await browser.request(callback);
  const setCookie = response.headers.getSetCookie().find((line) => line.startsWith('fiks_session='));
  return { response, setCookie, cookie: setCookie?.split(';')[0]!.slice('fiks_session='.length) };
}

/** A whole login: gateway → ID-porten's test login → callback → session cookie. */
export async function logIn(
  h: Harness,
  login: { pid: string; level?: Level; returnTo?: string; browser?: TestBrowser },
): Promise<LoggedIn> {
  const browser = login.browser ?? new TestBrowser();
  const authorization = await startLogin(h, browser, login.returnTo);
  const callback = await loginWithTestId(authorization, { pid: login.pid, level: login.level }, browser);
  const { response, setCookie, cookie } = await finishLogin(browser, callback);
  if (response.status !== 303 || !cookie || !setCookie) throw new Error(`login failed: ${response.status}`);
  return { browser, cookie, setCookie, location: response.headers.get('location')! };
}

export interface WhoAmI {
  status: number;
  body: {
    principal?: { kind: string; pid: string; acr: string; sessionId: string } | null;
    error?: { code: string; message: string; extensions: Record<string, unknown> };
  };
}

export async function whoami(h: Harness, cookie?: string): Promise<WhoAmI> {
  const response = await fetch(new URL('/whoami', h.appUrl), {
    headers: cookie === undefined ? {} : { cookie: `fiks_session=${cookie}` },
  });
  return { status: response.status, body: (await response.json()) as WhoAmI['body'] };
}

/** A request as authenticate() sees it, for calling a second sessions instance directly. */
export function requestWithCookie(cookie: string): FastifyRequest {
  return {
    headers: { cookie: `fiks_session=${cookie}` },
    log: createLogger({ level: 'silent', name: 'session-test' }),
  } as unknown as FastifyRequest;
}

export async function countSessions(db: Db): Promise<number> {
  const [row] = await db.query<{ n: number }>('select count(*)::int as n from gateway.session');
  return row!.n;
}

/**
 * Logs in to another service in the same browser (single sign-on, no login page) and logs out of ID-porten from
 * there, as a person would in another tab. Returns the front-channel URLs ID-porten loaded in iframes; the caller
 * decides whether they "arrived".
 */
export async function logOutAtIdportenElsewhere(h: Harness, browser: TestBrowser): Promise<URL[]> {
  const config = await client.discovery(
    new URL(h.idporten.issuer),
    OTHER.clientId,
    undefined,
    client.ClientSecretBasic(OTHER.clientSecret),
    { execute: [client.allowInsecureRequests] },
  );
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: OTHER.redirectUris[0]!,
    scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const back = await loginWithTestId(url, { pid: 'unused: single sign-on' }, browser);
  const tokens = await client.authorizationCodeGrant(config, back, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  const result = await logoutWithTestId(
    client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: OTHER.postLogoutRedirectUris[0]!,
    }),
    browser,
  );
  return result.frontChannelUrls;
}
