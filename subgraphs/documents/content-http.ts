// HTTP details of serving content: the Range header (RFC 9110 §14) and the download's file name.

/**
 * One byte range of a document of `size` bytes: null when there is no Range header or one we do not serve (several
 * ranges, another unit, bad syntax — then the whole document is sent, as RFC 9110 allows), 'unsatisfiable' for a
 * range that starts past the end (416).
 */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'unsatisfiable' {
  if (header === undefined) return null;
  const match = /^bytes=(\d{0,16})-(\d{0,16})$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    // A suffix: the last n bytes.
    const n = Number(match[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(size - n, 0), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return { start, end };
}

/** Always an attachment (content is never rendered on the platform's origin), named by its title when it has one. */
export function contentDisposition(title: string | null): string {
  if (!title) return 'attachment';
  // RFC 8187: UTF-8, percent-encoded; an ASCII fallback without quotes or control characters.
  const ascii = title.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(title)}`;
}
