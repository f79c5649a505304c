// Plays the browser against the ID-porten stand-in, so tests can log in and out with fetch alone: it keeps
// cookies (RFC 6265 host and path matching, enough for one local host), follows the provider's redirects by
// hand and submits the same HTML forms a person would. It stops at the first redirect that leaves the provider,
// which is the relying party's redirect_uri or post_logout_redirect_uri.
import type { Level } from './idporten-acr.ts';

interface StoredCookie {
  value: string;
  path: string;
}

export interface Step {
  /** The last response inside the provider, when it was a page rather than a redirect out. */
  response?: Response;
  /** The URL the provider redirected to outside itself. */
  leftTo?: URL;
  /** The URL of `response`. */
  url: URL;
}

export class TestBrowser {
  readonly #jar = new Map<string, Map<string, StoredCookie>>();

  #cookieHeader(url: URL): string {
    const cookies = this.#jar.get(url.host) ?? new Map<string, StoredCookie>();
    return [...cookies.entries()]
      .filter(
        ([, c]) =>
          url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      .map(([key, c]) => `${key.split('\0')[0]}=${c.value}`)
      .join('; ');
  }

  #store(url: URL, response: Response): void {
    const cookies = this.#jar.get(url.host) ?? new Map<string, StoredCookie>();
    this.#jar.set(url.host, cookies);
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = new Map(
        attributes.map((a) => [a.split('=')[0]!.toLowerCase(), a.split('=').slice(1).join('=')]),
      );
      const path = attr.get('path') || '/';
      const expires = attr.get('expires');
      const gone =
        value === '' || attr.get('max-age') === '0' || (expires && Date.parse(expires) <= Date.now());
      if (gone) cookies.delete(`${name}\0${path}`);
      else cookies.set(`${name}\0${path}`, { value, path });
    }
  }

  /** One request, no redirect following; cookies are sent and stored. */
  async request(url: URL, form?: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.#cookieHeader(url) };
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      headers,
      body: form ? new URLSearchParams(form).toString() : undefined,
      redirect: 'manual',
    });
    this.#store(url, response);
    return response;
  }

  /** Requests `url` and follows redirects while they stay on `origin`. */
  async follow(url: URL, origin: string, form?: Record<string, string>): Promise<Step> {
    let current = url;
    let response = await this.request(current, form);
    for (let hops = 0; response.status >= 300 && response.status < 400; hops += 1) {
      const location = response.headers.get('location');
      if (!location || hops > 20) throw new Error(`redirect loop or missing Location at ${current.href}`);
      await response.body?.cancel();
      const next = new URL(location, current);
      if (next.origin !== origin) return { leftTo: next, url: current };
      current = next;
      response = await this.request(current);
    }
    return { response, url: current };
  }
}

function formAction(html: string, suffix: string): string | undefined {
  return new RegExp(`<form[^>]*action="([^"]*${suffix})"`).exec(html)?.[1];
}

export interface TestIdLogin {
  /** A pid offered on the page (one of the stand-in's persons). */
  pid: string;
  /** @default 'substantial' */
  level?: Level;
}

/**
 * Completes a login from an authorization URL and returns the redirect to the client (carrying `code`, `state`
 * and `iss`). With a live single sign-on session in `browser`, no page is shown and the redirect comes at once.
 */
export async function loginWithTestId(
  authorizationUrl: URL | string,
  login: TestIdLogin,
  browser = new TestBrowser(),
): Promise<URL> {
  const start = new URL(authorizationUrl);
  const first = await browser.follow(start, start.origin);
  if (first.leftTo) return first.leftTo;
  const html = (await first.response?.text()) ?? '';
  const action = formAction(html, '/login');
  if (!action)
    throw new Error(`expected the test-login page at ${first.url.href}, got HTTP ${first.response?.status}`);
  const form = { pid: login.pid, level: login.level ?? 'substantial' };
  const done = await browser.follow(new URL(action, first.url), start.origin, form);
  if (!done.leftTo) throw new Error(`login was not accepted: HTTP ${done.response?.status}`);
  return done.leftTo;
}

export interface LogoutResult {
  /** The front-channel logout URLs the provider loaded in iframes (with `iss` and `sid`). */
  frontChannelUrls: URL[];
  /** Where the browser goes next: the post_logout_redirect_uri (with `state`) or the provider's own page. */
  continueTo: URL | undefined;
}

/** Runs RP-initiated logout from an end_session URL, confirming on the provider's page as a person would. */
export async function logoutWithTestId(
  endSessionUrl: URL | string,
  browser: TestBrowser,
): Promise<LogoutResult> {
  const start = new URL(endSessionUrl);
  const page = await browser.follow(start, start.origin);
  const html = (await page.response?.text()) ?? '';
  const action = formAction(html, '');
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !xsrf) throw new Error(`expected the logout page at ${page.url.href}`);
  const confirm = await browser.request(new URL(action, page.url), { xsrf, logout: 'yes' });
  const body = await confirm.text();
  const frames = [...body.matchAll(/<iframe src="([^"]+)"/g)].map(
    (m) => new URL(m[1]!.replaceAll('&amp;', '&')),
  );
  const link = /<a id="continue" href="([^"]+)"/.exec(body)?.[1]?.replaceAll('&amp;', '&');
  const location = confirm.headers.get('location') ?? link;
  return { frontChannelUrls: frames, continueTo: location ? new URL(location, start) : undefined };
}
