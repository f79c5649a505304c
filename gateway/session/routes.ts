// The browser login routes: /auth/login starts ID-porten's authorization code flow, /auth/callback finishes it and
// opens a session, /auth/logout ends it here and hands back ID-porten's end-session URL, and
// /auth/frontchannel-logout ends it when ID-porten says the person logged out elsewhere (FIKS-FACTS §3).
//
// Nothing here logs a token, a code, a state or a pid; refusals are logged with a short reason only.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as client from 'openid-client';
import { isAcr } from '../../access/principal.ts';
import { errorBody } from '../../common/errors.ts';
import { LOGIN_ATTEMPT_MS, SCOPE, attemptField, sessionField, type SessionContext } from './context.ts';
import {
  SESSION_COOKIE,
  clearedLoginCookie,
  clearedSessionCookie,
  hashSecret,
  isSecret,
  loginCookie,
  loginCookieName,
  newSecret,
  noStore,
  parseReturnTo,
  readCookie,
  sendPage,
  sessionCookie,
  single,
} from './http.ts';
import { acrAtLeast } from '../../common/acr.ts';
import { isRefusal, requestedAcr, strongerOf } from './relying-party.ts';
import type { SessionRow } from './store.ts';

/** A fødselsnummer or d-nummer: eleven digits. ID-porten leaves `pid` out for some foreign eIDs. */
const PID = /^\d{11}$/;

export function registerSessionRoutes(app: FastifyInstance, ctx: SessionContext): void {
  const { store, sealer, relyingParty } = ctx;
  const gatewayOrigin = new URL(ctx.callbackUrl).origin;

  /**
   * A logout is recorded, but never stands in its way: the session is already gone, and keeping a person logged in
   * because the audit log is down would be the worse failure. A lost event is logged as an error.
   */
  const recordLogout = async (request: FastifyRequest, row: SessionRow, via: 'gateway' | 'idporten') => {
    let pid: string;
    try {
      pid = sealer.open(row.pidSealed, sessionField(row.id, 'pid'));
    } catch {
      // Sealed under another key: the session could not have been used, so there is no person to name.
      return;
    }
    try {
      await ctx.audit.logout({ pid, requestId: request.id, source: request.ip, via });
    } catch (error) {
      request.log.error(
        { err: error instanceof Error ? { name: error.name } : undefined },
        'logout not audited',
      );
    }
  };

  const refuse = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    reason: string,
    message: string,
  ) => {
    request.log.warn({ reason }, 'login refused');
    ctx.audit.loginFailed(request.ip, reason);
    return sendPage(reply, status, message, ctx.loginUrl);
  };

  app.get('/auth/login', async (request, reply) => {
    const wait = ctx.loginRate.take(request.ip);
    if (wait > 0) {
      // One line per refusal at debug only: a flood must not become a flood of warnings.
      request.log.debug({ reason: 'login_rate' }, 'login refused');
      ctx.audit.loginFailed(request.ip, 'login_rate');
      void reply.header('retry-after', String(wait));
      return sendPage(
        reply,
        429,
        'For mange innlogginger fra denne adressen. Prøv igjen om litt.',
        undefined,
      );
    }
    const returnTo = parseReturnTo(single(request.query, 'returnTo'), gatewayOrigin);
    if (returnTo === null) {
      return refuse(request, reply, 400, 'bad_return_to', 'Adressen du skulle tilbake til, er ikke gyldig.');
    }
    // `acr` asks for a stronger login than the minimum (step-up, gateway/plugins/step-up.ts); never a weaker one.
    const askedAcr = single(request.query, 'acr');
    if (askedAcr !== undefined && !isAcr(askedAcr)) {
      return refuse(request, reply, 400, 'bad_acr', 'Sikkerhetsnivået det ble bedt om, er ukjent.');
    }
    const acr = askedAcr === undefined ? ctx.acrMinimum : strongerOf(askedAcr, ctx.acrMinimum);
    let config: client.Configuration;
    try {
      config = await relyingParty.configuration();
    } catch (error) {
      request.log.error({ err: error }, 'ID-porten discovery failed');
      ctx.audit.loginFailed(request.ip, 'idporten_unavailable');
      return sendPage(reply, 503, 'ID-porten svarer ikke nå. Prøv igjen senere.', undefined);
    }
    const now = ctx.now();
    // Always a new binder, never one the browser presents: a value planted in the browser (cookie tossing) must
    // not become what proves this browser started this login (#9 item 8).
    const binder = newSecret();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    await store.pruneAttempts(now - LOGIN_ATTEMPT_MS);
    await store.insertAttempt({
      state,
      browserHash: hashSecret(binder),
      codeVerifierSealed: sealer.seal(codeVerifier, attemptField(state)),
      nonce,
      returnTo,
      acr,
      createdAt: now,
    });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: ctx.callbackUrl,
      scope: SCOPE,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      acr_values: requestedAcr(acr, config.serverMetadata().acr_values_supported),
    });
    return noStore(reply)
      .header('set-cookie', loginCookie(ctx.cookies, state, binder))
      .redirect(url.href, 303);
  });

  app.get('/auth/callback', async (request, reply) => {
    const state = single(request.query, 'state');
    if (!state) {
      return refuse(request, reply, 400, 'no_state', 'Innloggingen kan ikke fortsette. Start på nytt.');
    }
    // Taken (deleted) before anything else is checked: a state is good for one callback, whatever its outcome.
    const attempt = await store.takeAttempt(state);
    if (!attempt) {
      return refuse(
        request,
        reply,
        400,
        'unknown_state',
        'Innloggingen er ukjent eller allerede brukt. Start på nytt.',
      );
    }
    // The attempt is used up whatever follows, so is its binding cookie.
    void reply.header('set-cookie', clearedLoginCookie(ctx.cookies, state));
    const now = ctx.now();
    if (now - attempt.createdAt > LOGIN_ATTEMPT_MS) {
      return refuse(request, reply, 400, 'attempt_expired', 'Innloggingen tok for lang tid. Start på nytt.');
    }
    const binder = readCookie(request.headers.cookie, loginCookieName(state));
    if (!binder || !isSecret(binder) || hashSecret(binder) !== attempt.browserHash) {
      return refuse(
        request,
        reply,
        400,
        'other_browser',
        'Innloggingen ble startet i en annen nettleser. Start på nytt.',
      );
    }
    if (single(request.query, 'error') !== undefined) {
      return refuse(request, reply, 401, 'idporten_error', 'Innloggingen i ID-porten ble avbrutt.');
    }
    if (!single(request.query, 'code')) {
      return refuse(request, reply, 400, 'no_code', 'Innloggingen kan ikke fortsette. Start på nytt.');
    }
    let codeVerifier: string;
    try {
      codeVerifier = sealer.open(attempt.codeVerifierSealed, attemptField(state));
    } catch {
      return refuse(
        request,
        reply,
        400,
        'attempt_unreadable',
        'Innloggingen kan ikke fortsette. Start på nytt.',
      );
    }

    let config: client.Configuration;
    try {
      config = await relyingParty.configuration();
    } catch (error) {
      request.log.error({ err: error }, 'ID-porten discovery failed');
      ctx.audit.loginFailed(request.ip, 'idporten_unavailable');
      return sendPage(reply, 503, 'ID-porten svarer ikke nå. Prøv igjen senere.', ctx.loginUrl);
    }
    // The URL ID-porten redirected to, rebuilt from the public URL rather than the Host header.
    const currentUrl = new URL(ctx.callbackUrl);
    currentUrl.search = new URL(request.url, 'http://callback.invalid').search;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      // Validates iss (RFC 9207) and state in the response, then the id_token: iss, aud, exp, iat, nonce.
      tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: codeVerifier,
        expectedState: state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      if (!isRefusal(error)) {
        request.log.error({ reason: 'idporten_unreachable' }, 'login failed');
        ctx.audit.loginFailed(request.ip, 'idporten_unavailable');
        return sendPage(reply, 503, 'ID-porten svarer ikke nå. Prøv igjen senere.', ctx.loginUrl);
      }
      return refuse(
        request,
        reply,
        401,
        tokenFailure(error),
        'Innloggingen kunne ikke bekreftes. Start på nytt.',
      );
    }
    const claims = tokens.claims();
    const acr = claims?.acr;
    // DIGDIR oidc_protocol_id_token: the client MUST validate acr — against the level this login asked for, which is
    // never below the configured minimum.
    const required = strongerOf(attempt.acr ?? ctx.acrMinimum, ctx.acrMinimum);
    if (!isAcr(acr) || !acrAtLeast(acr, required)) {
      return refuse(
        request,
        reply,
        403,
        'acr_below_minimum',
        'Tjenesten krever innlogging med et høyere sikkerhetsnivå.',
      );
    }
    const pid = claims?.pid;
    if (typeof pid !== 'string' || !PID.test(pid)) {
      return refuse(request, reply, 403, 'no_pid', 'Tjenesten krever et norsk fødselsnummer eller d-nummer.');
    }
    const idToken = tokens.id_token!;
    const sid = typeof claims?.sid === 'string' ? claims.sid : null;

    // A new login replaces the session this browser had (no session fixation across logins).
    const previous = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (previous && isSecret(previous)) await store.takeByCookieHash(hashSecret(previous));
    await store.pruneSessions(now, now - ctx.idleMs);

    const id = randomUUID();
    const cookie = newSecret();
    await store.insertSession({
      id,
      cookieHash: hashSecret(cookie),
      pidSealed: sealer.seal(pid, sessionField(id, 'pid')),
      acr,
      sid,
      idTokenSealed: sealer.seal(idToken, sessionField(id, 'id_token')),
      accessTokenSealed: sealer.seal(tokens.access_token, sessionField(id, 'access_token')),
      refreshTokenSealed: tokens.refresh_token
        ? sealer.seal(tokens.refresh_token, sessionField(id, 'refresh_token'))
        : null,
      accessTokenExpiresAt: accessTokenExpiry(now, tokens.expiresIn()),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + ctx.maxMs,
    });
    try {
      // No audit, no session: the login is stored in the audit log before its cookie leaves.
      await ctx.audit.login({ pid, acr, requestId: request.id, source: request.ip });
    } catch (error) {
      await store.deleteSession(id);
      request.log.error(
        { err: error instanceof Error ? { name: error.name } : undefined },
        'login not audited',
      );
      return sendPage(reply, 503, 'Innloggingen kunne ikke registreres. Prøv igjen senere.', ctx.loginUrl);
    }
    request.log.info({ sessionId: id, acr }, 'login');
    // Checked again on the way out: the stored target may predate a stricter check (#9 item 6).
    const target = parseReturnTo(attempt.returnTo, gatewayOrigin) ?? '/';
    return noStore(reply).header('set-cookie', sessionCookie(ctx.cookies, cookie)).redirect(target, 303);
  });

  app.post('/auth/logout', async (request, reply) => {
    noStore(reply);
    if (!isSameOriginJson(request, gatewayOrigin)) {
      return reply
        .code(403)
        .send(errorBody('FORBIDDEN', 'Log out with a same-origin JSON POST.', request.id));
    }
    let endSessionUrl: string | null = null;
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    const row = cookie && isSecret(cookie) ? await store.takeByCookieHash(hashSecret(cookie)) : undefined;
    if (row) {
      request.log.info({ sessionId: row.id }, 'logout');
      await recordLogout(request, row, 'gateway');
      try {
        const idToken = sealer.open(row.idTokenSealed, sessionField(row.id, 'id_token'));
        endSessionUrl = client.buildEndSessionUrl(await relyingParty.configuration(), {
          id_token_hint: idToken,
          post_logout_redirect_uri: ctx.postLogoutRedirectUri,
        }).href;
      } catch (error) {
        // The session is gone here either way; without the URL the person is still logged in at ID-porten only.
        request.log.warn(
          { err: error instanceof Error ? { name: error.name } : undefined },
          'no end-session URL',
        );
      }
    }
    return reply.header('set-cookie', clearedSessionCookie(ctx.cookies)).send({ endSessionUrl });
  });

  // ID-porten loads this in a hidden iframe, where SameSite cookies are not sent: the session is found by `sid`.
  // No frame-ancestors restriction: the page that frames it is ID-porten's logout page, whose origin need not be
  // the issuer's (login.idporten.no vs idporten.no), and an empty answer has nothing to click on.
  // Framed by ID-porten: the gateway's frame denial (gateway/security-headers.ts) is lifted for this route only.
  app.get('/auth/frontchannel-logout', { helmet: { frameguard: false } }, async (request, reply) => {
    reply
      .header('cache-control', 'no-store')
      .header('content-type', 'text/plain; charset=utf-8')
      .header('content-security-policy', "default-src 'none'");
    const iss = single(request.query, 'iss');
    const sid = single(request.query, 'sid');
    if (!sid || typeof iss !== 'string' || iss.replace(/\/$/, '') !== ctx.issuer) {
      request.log.warn({ reason: 'bad_frontchannel_request' }, 'front-channel logout refused');
      return reply.code(400).send('Bad request');
    }
    const ended = await store.takeBySid(sid);
    for (const row of ended) await recordLogout(request, row, 'idporten');
    request.log.info({ sessions: ended.length }, 'front-channel logout');
    return reply.code(200).send('OK');
  });
}

/** Seconds from now to the access token's expiry; ID-porten always sends expires_in (120 s by default). */
function accessTokenExpiry(now: number, expiresIn: number | undefined): number {
  return now + (expiresIn ?? 0) * 1000;
}

/** A short, non-secret reason for the log: the OAuth error or openid-client's error code, never a message. */
function tokenFailure(error: unknown): string {
  if (error instanceof client.ResponseBodyError || error instanceof client.AuthorizationResponseError) {
    return `token_${error.error}`.slice(0, 60);
  }
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `token_${code}`.slice(0, 60) : 'token_invalid';
}

/**
 * CSRF guard for logout: a JSON content type, which a cross-site page cannot send without a CORS preflight the
 * gateway never grants, and, when the browser says where the request comes from, the gateway's own origin.
 */
function isSameOriginJson(request: FastifyRequest, gatewayOrigin: string): boolean {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return false;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== gatewayOrigin) return false;
  const site = request.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}
