// Logout as ID-porten does it (FIKS-FACTS §3, DIGDIR `oidc_protocol_logout.md`): RP-initiated logout ends the
// whole single sign-on session, and every client in it, the initiating one included, gets a front-channel
// logout GET in an iframe with `iss` and `sid` (OpenID Connect Front-Channel Logout 1.0 §2-3). There is no
// back-channel logout. oidc-provider 9 implements RP-initiated logout but dropped front-channel logout (removed
// in v8), so the iframes are added here, after the provider has ended the session.
import type { KoaContextWithOIDC, Middleware, OIDCContext, UnknownObject } from 'oidc-provider';
import { escapeHtml, PAGE_CSP, renderPage } from './html.ts';

/** The confirmation page. ID-porten offers no "stay signed in": the only button ends the whole session. */
export function logoutSource(ctx: KoaContextWithOIDC, form: string): void {
  ctx.set('Content-Security-Policy', PAGE_CSP);
  ctx.body = renderPage(
    'Logg ut – ID-porten (lokal testtjeneste)',
    `<h1>Logg ut</h1>
<p>Du blir logget ut av ID-porten og alle tjenester du har logget inn på i denne økten.</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Logg ut</button>`,
  );
}

/** Shown when the client gave no (registered) post_logout_redirect_uri: ID-porten then does not redirect. */
export function postLogoutSuccessSource(ctx: KoaContextWithOIDC): void {
  ctx.set('Content-Security-Policy', PAGE_CSP);
  ctx.body = renderPage('Logget ut', '<h1>Du er logget ut</h1><p>Du kan lukke dette vinduet.</p>');
}

/** Error page: the OAuth error code and description only, escaped; never a stack trace. */
export function renderError(ctx: KoaContextWithOIDC, out: UnknownObject): void {
  const text = (v: unknown) => escapeHtml(typeof v === 'string' ? v : '');
  ctx.type = 'html';
  ctx.set('Content-Security-Policy', PAGE_CSP);
  ctx.body = renderPage(
    'Feil – ID-porten (lokal testtjeneste)',
    `<h1>Noe gikk galt</h1><p><code>${text(out.error)}</code></p><p>${text(out.error_description)}</p>`,
  );
}

async function frontChannelTargets(oidc: OIDCContext): Promise<string[]> {
  const session = oidc.session;
  // Our confirmation page always ends the whole session; a session that survived has nothing to notify.
  if (!session?.destroyed) return [];
  const targets: string[] = [];
  for (const clientId of Object.keys(session.authorizations ?? {})) {
    const client = await oidc.provider.Client.find(clientId);
    if (!client?.frontchannel_logout_uri) continue;
    const url = new URL(client.frontchannel_logout_uri);
    // Front-Channel Logout 1.0 §2: the OP adds `iss` and `sid` when the client registered
    // frontchannel_logout_session_required; ID-porten sends both.
    url.searchParams.set('iss', oidc.issuer);
    const sid = session.sidFor(clientId);
    if (sid) url.searchParams.set('sid', sid);
    targets.push(url.href);
  }
  return targets;
}

/**
 * Koa middleware for the provider: when the logout confirmation has ended a session, answers with a page that
 * loads each client's frontchannel_logout_uri in an iframe and then continues (meta refresh, and a link for
 * those without) to where oidc-provider was about to redirect: the post_logout_redirect_uri, or the success page.
 */
export const frontChannelLogout: Middleware = async (ctx, next) => {
  await next();
  const oidc = (ctx as { oidc?: OIDCContext }).oidc;
  if (oidc?.route !== 'end_session_confirm' || ctx.status !== 303) return;
  const targets = await frontChannelTargets(oidc);
  if (targets.length === 0) return;
  const continueTo = escapeHtml(ctx.response.get('Location'));
  ctx.remove('Location');
  ctx.status = 200;
  ctx.type = 'html';
  ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-src http: https:");
  const frames = targets
    .map((t) => `<iframe src="${escapeHtml(t)}" width="0" height="0" title="logout" hidden></iframe>`)
    .join('\n');
  ctx.body = renderPage(
    'Logger ut',
    `<h1>Logger ut …</h1>\n${frames}\n<p><a id="continue" href="${continueTo}">Fortsett</a></p>`,
    `<meta http-equiv="refresh" content="2;url=${continueTo}">\n`,
  );
};
