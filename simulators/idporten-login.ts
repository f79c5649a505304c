// The test-login page, standing in for ID-porten's "TestID" (FIKS-FACTS §3: the tester picks a synthetic identity
// and the level). It is a plain HTML form POST, so a test can log in with fetch alone (see idporten-browser.ts).
// It drives oidc-provider's interaction API: login, then an automatic consent, since ID-porten asks no consent
// for the scopes a client is registered with.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Interaction, Provider } from 'oidc-provider';
import { ACR, allowedLevels, minimumLevel, type Level } from './idporten-acr.ts';
import type { IdportenPerson } from './idporten-options.ts';
import { escapeHtml, PAGE_CSP, renderPage } from './html.ts';

const MAX_FORM_BYTES = 8 * 1024;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req as AsyncIterable<Buffer>) {
    body += chunk.toString('utf8');
    if (body.length > MAX_FORM_BYTES) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': PAGE_CSP,
  });
  res.end(html);
}

function loginPage(details: Interaction, persons: IdportenPerson[], problem?: string): string {
  const uid = escapeHtml(details.uid);
  const levels = allowedLevels(details.params.acr_values);
  const people = persons
    .map(
      (p, i) =>
        `<label><input type="radio" name="pid" value="${escapeHtml(p.pid)}"${i === 0 ? ' checked' : ''}> ` +
        `${escapeHtml(p.name)} (${escapeHtml(p.pid)})</label>`,
    )
    .join('\n');
  const levelInputs = levels
    .map(
      (l, i) =>
        `<label><input type="radio" name="level" value="${l}"${i === 0 ? ' checked' : ''}> ${escapeHtml(ACR[l])}</label>`,
    )
    .join('\n');
  const client = typeof details.params.client_id === 'string' ? details.params.client_id : '';
  return renderPage(
    'TestID – ID-porten (lokal testtjeneste)',
    `<h1>TestID</h1>
<p>Innlogging til <strong>${escapeHtml(client)}</strong> med en syntetisk testperson. Kun for test.</p>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<fieldset><legend>Testperson</legend>
${people}
</fieldset>
<fieldset><legend>Sikkerhetsnivå</legend>
${levelInputs}
</fieldset>
<button type="submit">Logg inn</button>
</form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Avbryt</button></form>`,
  );
}

/** Grants what the consent prompt found missing, as ID-porten does for a registered client's scopes. */
async function grantMissing(provider: Provider, details: Interaction): Promise<string> {
  const accountId = details.session?.accountId;
  const clientId = details.params.client_id;
  if (!accountId || typeof clientId !== 'string') throw new Error('consent without a logged-in session');
  const grant =
    (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
    new provider.Grant({ accountId, clientId });
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  return grant.save();
}

/** Handles GET /interaction/:uid, POST /interaction/:uid/login and POST /interaction/:uid/abort. */
export function createLoginHandler(provider: Provider, persons: IdportenPerson[]) {
  const known = new Map(persons.map((p) => [p.pid, p]));
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const match = /^\/interaction\/([\w-]+)(\/login|\/abort)?$/.exec(path);
    if (!match) return send(res, 404, renderPage('Ikke funnet', '<h1>Ikke funnet</h1>'));
    const action = match[2];
    // The interaction cookie binds the uid to this browser; without it interactionDetails throws.
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== match[1]) return send(res, 400, renderPage('Feil', '<h1>Ugyldig innlogging</h1>'));

    if (req.method === 'GET' && !action) {
      if (details.prompt.name === 'consent') {
        const grantId = await grantMissing(provider, details);
        return provider.interactionFinished(
          req,
          res,
          { consent: { grantId } },
          { mergeWithLastSubmission: true },
        );
      }
      return send(res, 200, loginPage(details, persons));
    }
    if (req.method !== 'POST') return send(res, 405, renderPage('Feil', '<h1>Metoden er ikke tillatt</h1>'));
    if (action === '/abort') {
      return provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'End-User aborted interaction',
      });
    }
    const form = await readForm(req);
    const pid = form.get('pid') ?? '';
    const level = form.get('level') as Level | null;
    if (!known.has(pid)) return send(res, 400, loginPage(details, persons, 'Velg en av testpersonene.'));
    // acr_values is a minimum (FIKS-FACTS §3): a level below it is refused, not silently raised.
    if (!level || !allowedLevels(details.params.acr_values).includes(level)) {
      const minimum = ACR[minimumLevel(details.params.acr_values)];
      return send(res, 400, loginPage(details, persons, `Tjenesten krever minst ${minimum}.`));
    }
    return provider.interactionFinished(
      req,
      res,
      { login: { accountId: pid, acr: ACR[level], amr: ['TestID'], remember: true } },
      { mergeWithLastSubmission: false },
    );
  };
}
