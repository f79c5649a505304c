// Where the gateway may send a browser, judged on the target's final form (#9 item 6). A check on the raw input is
// not enough: "/..//evil.example" starts with one '/', yet normalises to "//evil.example", which a browser reads as
// another host. So the target is parsed as the browser will parse it, and what is sent is the normalised path
// itself, checked once more — never the raw input.

/**
 * The normalised path (pathname + search + hash) of `target` when it stays on `origin`; null otherwise. The result
 * is a fixed point: parsed again against any URL of `origin`, it names the same origin and the same path.
 */
export function sameOriginPath(target: string, origin: string): string | null {
  let parsed: URL;
  try {
    // WHATWG URL, the parser browsers use for Location: dot segments resolved, '\' read as '/', tabs and newlines
    // dropped, percent-encoding normalised.
    parsed = new URL(target, origin);
  } catch {
    return null;
  }
  if (parsed.origin !== origin) return null;
  const path = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  // The final form is what the browser receives: it must itself be a path on this origin ("//host" is not), and
  // reading it again must change nothing.
  if (!path.startsWith('/') || path.startsWith('//')) return null;
  const again = new URL(path, origin);
  if (again.origin !== origin || `${again.pathname}${again.search}${again.hash}` !== path) return null;
  return path;
}
