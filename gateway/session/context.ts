// What the session routes and authenticate() share: settings resolved once, the store, the sealer and the clock.
import type { Acr } from '../../access/principal.ts';
import { AuthError } from '../auth/auth-error.ts';
import type { SessionAudit } from './audit.ts';
import type { CookieSettings } from './http.ts';
import type { LoginRateLimit } from './login-rate-limit.ts';
import type { RelyingParty } from './relying-party.ts';
import type { Sealer } from './sealer.ts';
import type { SessionStore } from './store.ts';

/** The scope the gateway asks for. Only `openid`: ID-porten then ends the tokens with its own session (logout). */
export const SCOPE = 'openid';
/** A login started but not finished within this long is refused at the callback. */
export const LOGIN_ATTEMPT_MS = 10 * 60 * 1000;
/** The access token is renewed when it expires within this long. */
export const RENEW_BEFORE_MS = 10 * 1000;
/** last_seen_at is written at most this often per session, so a burst of requests costs one write. */
export const TOUCH_EVERY_MS = 5 * 1000;

export interface SessionContext {
  store: SessionStore;
  sealer: Sealer;
  relyingParty: RelyingParty;
  now: () => number;
  /** Logins, logouts and failed logins, for the audit log. */
  audit: SessionAudit;
  /** Bounds how many logins one client address starts (each stores an attempt row). */
  loginRate: LoginRateLimit;
  acrMinimum: Acr;
  /** The configured issuer without a trailing slash, as front-channel logout's `iss` must name it. */
  issuer: string;
  callbackUrl: string;
  loginUrl: string;
  postLogoutRedirectUri: string;
  cookies: CookieSettings;
  idleMs: number;
  maxMs: number;
}

/** The AAD of a sealed session field: the value opens only in its own row and column. */
export function sessionField(
  id: string,
  field: 'pid' | 'id_token' | 'access_token' | 'refresh_token',
): string {
  return `gateway.session:${id}:${field}`;
}

export function attemptField(state: string): string {
  return `gateway.login_attempt:${state}:code_verifier`;
}

export function loginExpired(loginUrl: string, cause?: unknown): AuthError {
  return new AuthError(
    401,
    'UNAUTHENTICATED',
    'Innloggingen er utløpt',
    { loginUrl },
    { cause, reason: 'session_expired' },
  );
}

export function idportenUnavailable(cause?: unknown): AuthError {
  return new AuthError(
    503,
    'SERVICE_UNAVAILABLE',
    'ID-porten svarer ikke nå. Prøv igjen senere.',
    {},
    { cause },
  );
}
