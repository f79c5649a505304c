// The HTTP details of browser sessions: cookies, the open-redirect guard and the small pages the login routes
// answer with. The cookies have names of our own and base64url values, so they are read and written here without
// @fastify/cookie: its parse/serialize work only once its plugin is registered, and this module should not care
// whether (or in which scope) the gateway registers it.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { sameOriginPath } from './redirect-target.ts';

export const SESSION_COOKIE = 'fiks_session';
/**
 * Binds a login in progress to the browser that started it (login CSRF: no callback from another browser). One
 * cookie per login attempt, named after its state, with a value minted for that attempt: a value the browser
 * presents is never adopted (#9 item 8), and logins started in two tabs each keep their own.
 */
export const LOGIN_COOKIE_PREFIX = 'fiks_login_';

/** The name of the login-binding cookie of the attempt with this state. */
export function loginCookieName(state: string): string {
  return `${LOGIN_COOKIE_PREFIX}${createHash('sha256').update(state).digest('base64url').slice(0, 16)}`;
}

const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** A random 32-byte secret, base64url: the value of a session or login cookie. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The database key of a cookie secret: its SHA-256, so a database leak yields no usable cookie. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function isSecret(value: string): boolean {
  return SECRET.test(value);
}

/** The first cookie of that name in a Cookie header (RFC 6265 §5.4 puts the most specific path first). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

export interface CookieSettings {
  secure: boolean;
  /** Path of the callback as the browser sees it (the public URL may have a path prefix). */
  callbackPath: string;
  maxAgeSeconds: number;
}

/**
 * HttpOnly always; SameSite=Lax, not Strict, because the person arrives from ID-porten's redirect, a top-level
 * cross-site GET; Secure whenever the gateway's public URL is https.
 */
function setCookie(
  settings: CookieSettings,
  name: string,
  value: string,
  path: string,
  maxAge: number,
): string {
  const attributes = [`${name}=${value}`, `Path=${path}`, `Max-Age=${maxAge}`];
  if (maxAge === 0) attributes.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  attributes.push('HttpOnly', 'SameSite=Lax');
  if (settings.secure) attributes.push('Secure');
  return attributes.join('; ');
}

export function sessionCookie(settings: CookieSettings, value: string): string {
  return setCookie(settings, SESSION_COOKIE, value, '/', settings.maxAgeSeconds);
}

export function clearedSessionCookie(settings: CookieSettings): string {
  return setCookie(settings, SESSION_COOKIE, '', '/', 0);
}

export const LOGIN_COOKIE_SECONDS = 10 * 60;

export function loginCookie(settings: CookieSettings, state: string, value: string): string {
  return setCookie(settings, loginCookieName(state), value, settings.callbackPath, LOGIN_COOKIE_SECONDS);
}

export function clearedLoginCookie(settings: CookieSettings, state: string): string {
  return setCookie(settings, loginCookieName(state), '', settings.callbackPath, 0);
}

/**
 * The open-redirect guard for `returnTo`: a path on the gateway's `origin`, starting with exactly one '/'. Absent
 * means '/'; anything else (absolute URLs, `//host`, backslashes, control characters) is null. What passes is
 * judged again on its normalised form (redirect-target.ts) and only that form is returned.
 */
export function parseReturnTo(value: unknown, origin: string): string | null {
  if (value === undefined) return '/';
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return null;
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  for (const char of value) {
    const code = char.charCodeAt(0);
    // Browsers read '\' as '/' and drop tabs and newlines, so "/\evil" or "/\t/evil" would leave the origin.
    if (char === '\\' || code < 0x20 || code === 0x7f) return null;
  }
  return sameOriginPath(value, origin);
}

/** A single query parameter; undefined when absent, null when repeated (a repeated parameter is refused). */
export function single(query: unknown, name: string): string | undefined | null {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : null;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
}

/**
 * A short page for a person whose login could not go on: a status, one sentence and a link to start again. Never a
 * stack trace or the reason a check failed in detail.
 */
export function sendPage(
  reply: FastifyReply,
  status: number,
  message: string,
  again: string | undefined,
): FastifyReply {
  const link = again ? `\n<p><a href="${escapeHtml(again)}">Logg inn på nytt</a></p>` : '';
  return noStore(reply)
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
    .send(
      `<!doctype html>\n<html lang="nb">\n<head><meta charset="utf-8"><title>Innlogging</title></head>\n` +
        `<body>\n<h1>Innlogging</h1>\n<p>${escapeHtml(message)}</p>${link}\n</body>\n</html>\n`,
    );
}
