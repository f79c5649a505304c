// The explorer's HTML and its Content-Security-Policy. No inline script at all: the page loads one module from the
// gateway's origin, with the page's nonce as well. Styles are the one thing made inline: Monaco and GraphiQL create
// <style> elements as they run (client/style-nonce.ts gives each this response's nonce) and set `style` attributes in
// the markup they render (Monaco's editor lines are HTML strings), so style attributes are allowed
// (style-src-attr 'unsafe-inline': they cannot load anything nor match other elements) while a <style> element
// needs the nonce. No 'unsafe-eval': neither Monaco's ESM build nor GraphiQL evaluates strings (the browser test
// would see the violation). Workers are files of ours ('self'), never blob: URLs (client/workers.ts).
import { randomBytes } from 'node:crypto';
import type { ExplorerBundle } from './bundle.ts';

export const EXPLORER_PATH = '/explorer';
export const ASSETS_PATH = `${EXPLORER_PATH}/assets`;

/** 128 bits from the CSPRNG, new for every response (CSP3 §7.2: a nonce must be unguessable and never reused). */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function explorerCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    `style-src-elem 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "worker-src 'self'",
    "connect-src 'self'",
    // GraphiQL's and Monaco's icon fonts come inlined in the style sheet as data: URLs.
    "font-src 'self' data:",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** What a worker script may do in its own context (a worker's CSP comes from its own response). */
export const ASSET_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function explorerHtml(bundle: ExplorerBundle, nonce: string): string {
  const asset = (name: string) => attribute(`${ASSETS_PATH}/${bundle.fingerprint}/${name}`);
  const styles = bundle.styles
    .map((name) => `    <link rel="stylesheet" href="${asset(name)}" />\n`)
    .join('');
  return `<!doctype html>
<html lang="nb">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta property="csp-nonce" nonce="${attribute(nonce)}" />
    <title>Fiks Gateway – explorer</title>
    <link rel="icon" href="data:," />
${styles}    <script type="module" src="${asset(bundle.script)}" nonce="${attribute(nonce)}"></script>
  </head>
  <body>
    <div id="explorer"></div>
    <noscript>The explorer needs JavaScript. Send GraphQL operations to /graphql instead.</noscript>
  </body>
</html>
`;
}
