// Server-rendered pages of the stand-ins: no external scripts, styles or fonts, and every interpolated value
// escaped, because the pages show values that came from the query string (client ids, redirect targets).

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML element body or a double- or single-quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** CSP for the pages: nothing may load except inline styles, and the page may not be framed (clickjacking). */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/** A complete page. `title` is escaped; `body` must already be escaped HTML. */
export function renderPage(title: string, body: string, head = ''): string {
  return `<!DOCTYPE html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${head}<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}
fieldset{margin:1rem 0}label{display:block;margin:.25rem 0}button{margin:.5rem .5rem 0 0}</style>
</head>
<body>
${body}
</body>
</html>`;
}
