// Content links (issue #11 item 4): GraphQL issues them, the gateway's /documents/content/<link> uses them. A link is
// 32 random bytes (base64url, 43 characters); only its SHA-256 is stored, so the database cannot hand out a working
// link. Each is for one purpose (UPLOAD or DOWNLOAD), one document, one caller, used once, and expires quickly.
import { createHash, randomBytes } from 'node:crypto';

/** Where the gateway serves content; the link is the last path segment. */
export const CONTENT_PATH_PREFIX = '/documents/content/';
const LINK = /^[A-Za-z0-9_-]{43}$/;

export interface NewLink {
  /** The secret, shown once in the path. */
  path: string;
  hash: Buffer;
}

export function newContentLink(): NewLink {
  const secret = randomBytes(32).toString('base64url');
  return { path: `${CONTENT_PATH_PREFIX}${secret}`, hash: hashOf(secret) };
}

/** The stored form of a link from a request, or null when it cannot be one (answered as any other bad link). */
export function linkHash(link: unknown): Buffer | null {
  return typeof link === 'string' && LINK.test(link) ? hashOf(link) : null;
}

function hashOf(secret: string): Buffer {
  return createHash('sha256').update(secret, 'ascii').digest();
}
