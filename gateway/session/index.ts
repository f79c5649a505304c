// Browser login through the gateway: ID-porten's authorization code flow with PKCE, and a server-side session in
// PostgreSQL (schema `gateway`) named by an opaque HttpOnly cookie (FIKS-FACTS §3).
//
// - The cookie holds a random 32-byte secret; the database holds only its SHA-256, the person's pid and the
//   ID-porten tokens sealed with AES-256-GCM (sealer.ts), and ID-porten's `sid` in clear for front-channel logout.
// - A session ends after `idleMinutes` without a request, `maxMinutes` after login, at logout (here or, through the
//   front channel, at ID-porten), or when ID-porten refuses to renew its tokens. The gateway renews them with the
//   refresh token shortly before the access token expires, so an ID-porten logout whose front-channel call was lost
//   still ends the session here within one access-token lifetime.
// - Routes: see routes.ts. authenticate() is what the gateway's request hook calls.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as client from 'openid-client';
import { isAcr, type Acr, type PersonPrincipal } from '../../access/principal.ts';
import type { Db } from '../../db/database.ts';
import { migrate } from '../../db/migrations.ts';
import {
  RENEW_BEFORE_MS,
  TOUCH_EVERY_MS,
  idportenUnavailable,
  loginExpired,
  sessionField,
  type SessionContext,
} from './context.ts';
import { SESSION_COOKIE, hashSecret, isSecret, readCookie } from './http.ts';
import { acrAtLeast } from '../../common/acr.ts';
import { NO_SESSION_AUDIT, type SessionAudit } from './audit.ts';
import { createLoginRateLimit, type LoginRateOptions } from './login-rate-limit.ts';
import { createRelyingParty, isRefusal } from './relying-party.ts';
import { registerSessionRoutes } from './routes.ts';
import { createSealer } from './sealer.ts';
import { createSessionStore, type SessionRow } from './store.ts';
import { withoutTrailingSlashes } from '../../common/urls.ts';

export { SESSION_COOKIE } from './http.ts';

/** The gateway schema's migrations (001_sessions.sql, …). */
export const SESSION_MIGRATIONS: URL = new URL('../migrations/', import.meta.url);

export interface SessionOptions {
  db: Db;
  idporten: { issuer: string; clientId: string; clientSecret: string; acrMinimum: Acr };
  /** The gateway's public base URL, e.g. http://127.0.0.1:4000; the callback is publicUrl + '/auth/callback'. */
  publicUrl: string;
  /** base64url, 32 bytes; undefined: a random key per process (development only; sessions end at restart). */
  encryptionKey: string | undefined;
  idleMinutes: number;
  maxMinutes: number;
  /** true only for plain-HTTP stand-ins (development and tests). */
  allowInsecureRequests?: boolean;
  /** Browser logins one client address may start. @default { perMinute: 60, burst: 30 } */
  loginRate?: LoginRateOptions;
  /** Where logins, logouts and failed logins are recorded (gateway/audit/security-events.ts). @default nowhere */
  audit?: SessionAudit;
  /** The clock for session times (idle, maximum age, token expiry, login attempts). @default Date.now */
  now?: () => number;
}

export interface Sessions {
  /**
   * Registers GET /auth/login?returnTo=<relative path>, GET /auth/callback, POST /auth/logout and
   * GET /auth/frontchannel-logout directly on `app` (no plugin scope, no @fastify/cookie registration needed).
   */
  register(app: FastifyInstance): Promise<void>;
  /**
   * The person of a live session (cookie), renewing tokens with the refresh token when the access token is due;
   * null when the request carries no session cookie; throws AuthError(401, 'UNAUTHENTICATED', …, { loginUrl }) when
   * the cookie names no live session or renewal is refused, and AuthError(503, 'SERVICE_UNAVAILABLE') when
   * ID-porten cannot be reached to renew (the session is kept). Also touches the idle timer.
   */
  authenticate(request: FastifyRequest): Promise<PersonPrincipal | null>;
  /** publicUrl + '/auth/login'; append `?returnTo=<path>` to come back to a page. */
  readonly loginUrl: string;
}

export async function createSessions(options: SessionOptions): Promise<Sessions> {
  const publicUrl = withoutTrailingSlashes(options.publicUrl);
  const parsedPublicUrl = new URL(publicUrl);
  if (parsedPublicUrl.protocol !== 'https:' && parsedPublicUrl.protocol !== 'http:') {
    throw new TypeError('publicUrl must be an http(s) URL');
  }
  const { idleMinutes, maxMinutes } = options;
  for (const [name, minutes] of [
    ['idleMinutes', idleMinutes],
    ['maxMinutes', maxMinutes],
  ] as const) {
    if (!Number.isFinite(minutes) || minutes <= 0) throw new TypeError(`${name} must be a positive number`);
  }
  if (!isAcr(options.idporten.acrMinimum)) throw new TypeError('idporten.acrMinimum is not a known level');
  const sealer = createSealer(options.encryptionKey);
  await migrate(options.db, 'gateway', SESSION_MIGRATIONS);

  const now = options.now ?? Date.now;
  const loginRate = createLoginRateLimit(options.loginRate ?? { perMinute: 60, burst: 30 }, now);
  const callbackUrl = `${publicUrl}/auth/callback`;
  const loginUrl = `${publicUrl}/auth/login`;
  const ctx: SessionContext = {
    store: createSessionStore(options.db),
    sealer,
    relyingParty: createRelyingParty({
      issuer: options.idporten.issuer,
      clientId: options.idporten.clientId,
      clientSecret: options.idporten.clientSecret,
      allowInsecureRequests: options.allowInsecureRequests ?? false,
    }),
    now,
    audit: options.audit ?? NO_SESSION_AUDIT,
    loginRate,
    acrMinimum: options.idporten.acrMinimum,
    issuer: options.idporten.issuer.replace(/\/$/, ''),
    callbackUrl,
    loginUrl,
    postLogoutRedirectUri: `${publicUrl}/`,
    cookies: {
      secure: parsedPublicUrl.protocol === 'https:',
      callbackPath: new URL(callbackUrl).pathname,
      maxAgeSeconds: Math.floor(maxMinutes * 60),
    },
    idleMs: idleMinutes * 60_000,
    maxMs: maxMinutes * 60_000,
  };
  const { store } = ctx;
  const renewals = new Map<string, Promise<void>>();

  /** Renews the tokens of one session once, however many requests of this process ask at the same time. */
  function renew(id: string): Promise<void> {
    let pending = renewals.get(id);
    if (!pending) {
      pending = renewLocked(id).finally(() => renewals.delete(id));
      renewals.set(id, pending);
    }
    return pending;
  }

  async function renewLocked(id: string): Promise<void> {
    let config: client.Configuration;
    try {
      config = await ctx.relyingParty.configuration();
    } catch (error) {
      throw idportenUnavailable(error);
    }
    // The row lock makes another gateway process renewing the same session wait, then see the fresh tokens.
    const outcome = await store.withLockedSession(id, async (row, ops) => {
      const now = ctx.now();
      if (!row) return 'ended';
      if (row.accessTokenExpiresAt - now > RENEW_BEFORE_MS) return 'renewed';
      const refreshToken = openOrUndefined(row, 'refresh_token');
      if (!refreshToken) {
        await ops.remove();
        return 'ended';
      }
      let tokens: Awaited<ReturnType<typeof client.refreshTokenGrant>>;
      try {
        tokens = await client.refreshTokenGrant(config, refreshToken);
      } catch (error) {
        if (!isRefusal(error)) return error instanceof Error ? error : new Error('renewal failed');
        await ops.remove();
        return 'ended';
      }
      // A new id_token, when ID-porten sends one, must still name the same person.
      const renewedPid = tokens.claims()?.pid;
      if (renewedPid !== undefined && renewedPid !== openOrUndefined(row, 'pid')) {
        await ops.remove();
        return 'ended';
      }
      await ops.update({
        idTokenSealed: tokens.id_token
          ? ctx.sealer.seal(tokens.id_token, sessionField(id, 'id_token'))
          : row.idTokenSealed,
        accessTokenSealed: ctx.sealer.seal(tokens.access_token, sessionField(id, 'access_token')),
        // Refresh tokens rotate; keep the old one only if ID-porten did not send a new one.
        refreshTokenSealed: tokens.refresh_token
          ? ctx.sealer.seal(tokens.refresh_token, sessionField(id, 'refresh_token'))
          : row.refreshTokenSealed,
        accessTokenExpiresAt: now + (tokens.expiresIn() ?? 0) * 1000,
        lastSeenAt: now,
      });
      return 'renewed';
    });
    if (outcome === 'ended') throw loginExpired(loginUrl);
    if (outcome instanceof Error) throw idportenUnavailable(outcome);
  }

  function openOrUndefined(row: SessionRow, field: 'pid' | 'refresh_token'): string | undefined {
    const sealed = field === 'pid' ? row.pidSealed : row.refreshTokenSealed;
    if (sealed === null) return undefined;
    try {
      return ctx.sealer.open(sealed, sessionField(row.id, field));
    } catch {
      return undefined;
    }
  }

  return {
    loginUrl,
    register(app) {
      registerSessionRoutes(app, ctx);
      return Promise.resolve();
    },
    async authenticate(request) {
      const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (cookie === undefined) return null;
      const row = isSecret(cookie) ? await store.findByCookieHash(hashSecret(cookie)) : undefined;
      if (!row) throw loginExpired(loginUrl);
      const now = ctx.now();
      const pid = openOrUndefined(row, 'pid');
      const live = now - row.lastSeenAt < ctx.idleMs && now < row.expiresAt;
      // A session sealed under another key (restart without SESSION_ENCRYPTION_KEY), or below a minimum raised
      // since it was opened, ends like an expired one.
      if (!live || pid === undefined || !isAcr(row.acr) || !acrAtLeast(row.acr, ctx.acrMinimum)) {
        await store.deleteSession(row.id);
        throw loginExpired(loginUrl);
      }
      if (row.accessTokenExpiresAt - now <= RENEW_BEFORE_MS) {
        try {
          await renew(row.id);
        } catch (error) {
          request.log.warn(
            { sessionId: row.id, code: (error as { code?: unknown }).code },
            'session renewal failed',
          );
          throw error;
        }
      } else if (now - row.lastSeenAt >= TOUCH_EVERY_MS) {
        await store.touch(row.id, now);
      }
      return { kind: 'person', pid, acr: row.acr, sessionId: row.id };
    },
  };
}
