// Small URL helpers shared by the gateway's configuration-driven clients.

/** `url` without trailing slashes. A loop, not /\/+$/, which backtracks quadratically on a long run of slashes
 * followed by anything else. */
export function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url.charCodeAt(end - 1) === 0x2f) end -= 1;
  return url.slice(0, end);
}
