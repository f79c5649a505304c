// Back-off after repeated authentication failures (#9 item 3). After `failuresBeforeBackoff` failures for one key
// within `windowMs`, the key is blocked for `initialMs`, doubling with every further failure up to `maxMs`; while
// blocked, a caller may be refused without the slow password hash. A success forgets the key.
//
// The key is (integration id, client address), not the id alone: an attacker elsewhere cannot lock a legitimate
// integration out, and the block is short and capped, so even a shared address (a NAT, a proxy) costs a
// legitimate caller at most `maxMs`. State is per process, in a bounded map; replicas would need a shared store
// (Redis, a later issue) to count together.
import { createHash } from 'node:crypto';
import { BoundedCache } from '../../common/bounded-cache.ts';

export interface FailureBackoffOptions {
  /** Failures within the window before the first block. @default 5 */
  failuresBeforeBackoff: number;
  /** The first block. @default 1000 */
  initialMs: number;
  /** The longest block. @default 60000 */
  maxMs: number;
  /** Failures older than this (since the last one) are forgotten. @default 900000 */
  windowMs: number;
  /** Keys remembered at most; the oldest are forgotten first. @default 50000 */
  maxEntries?: number;
  now?: () => number;
}

export interface FailureBackoff {
  /** True while the key is blocked. */
  blocked(key: readonly string[]): boolean;
  recordFailure(key: readonly string[]): void;
  recordSuccess(key: readonly string[]): void;
}

interface Entry {
  failures: number;
  blockedUntil: number;
}

export function createFailureBackoff(options: FailureBackoffOptions): FailureBackoff {
  const now = options.now ?? Date.now;
  const { failuresBeforeBackoff, initialMs, maxMs, windowMs } = options;
  const entries = new BoundedCache<Entry>(options.maxEntries ?? 50_000, now);
  // A digest bounds the memory of a key whatever the caller put in its headers.
  const digest = (key: readonly string[]) => createHash('sha256').update(key.join('\0')).digest('base64url');
  return {
    blocked(key) {
      const entry = entries.get(digest(key));
      return entry !== undefined && entry.blockedUntil > now();
    },
    recordFailure(key) {
      const id = digest(key);
      const at = now();
      const entry = entries.get(id) ?? { failures: 0, blockedUntil: 0 };
      entry.failures += 1;
      const over = entry.failures - failuresBeforeBackoff;
      if (over >= 0) entry.blockedUntil = at + Math.min(initialMs * 2 ** Math.min(over, 30), maxMs);
      entries.delete(id);
      entries.set(id, entry, Math.max(at + windowMs, entry.blockedUntil));
    },
    recordSuccess(key) {
      entries.delete(digest(key));
    },
  };
}
