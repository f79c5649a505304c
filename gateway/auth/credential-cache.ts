// The credential lookup (access/integration-credentials.ts) off the hot path, without weakening revocation. An
// integration's row is kept for at most maxAgeMs, and only while this gateway hears every change to it: the
// integrations subgraph's trigger notifies at commit (subgraphs/integrations/migrations/006_*), and the gateway
// that made the change itself clears the cache before it answers (gateway/credential-changes.ts).
//
// Fail closed: the cache holds nothing until listening is confirmed, and is cleared and bypassed while it is lost.
// A lookup that began before an eviction — a notification for any id, a clear, a loss or a resumption — is not
// stored: it may have read the row as it was before the change (the race between the check and the call).
import type { IntegrationCredentials } from '../../access/integration-credentials.ts';
import { BoundedCache } from '../../common/bounded-cache.ts';

export interface CredentialCacheOptions {
  /** Rows kept at once; past it the oldest stored is dropped. @default 10_000 */
  maxEntries?: number;
  /** The second bound: a row is read again this long after it was stored, notification or not. */
  maxAgeMs: number;
  now?: () => number;
  /** Runs between a lookup's read and its store, so a test can put a change exactly there. */
  beforeStore?: (integrationId: string) => Promise<void>;
}

export interface CredentialCache {
  /** The integration's credentials, from the cache when it may answer, else read (and kept when that is safe). */
  get(integrationId: string): Promise<IntegrationCredentials | null>;
  /** A change to this integration was committed: forget it. */
  evict(integrationId: string): void;
  /** A change to some integration, or to many, was committed: forget every one. */
  clear(): void;
  /** Every change from now on will be heard: the cache may keep rows. */
  resume(): void;
  /** Changes may go unheard: forget every row and keep none until resume(). */
  suspend(): void;
  readonly caching: boolean;
  /** Rows kept now. */
  readonly size: number;
}

/** A UUID is case-insensitive (RFC 9562 §4) and callers may send either case; notifications name it in lower case. */
const keyOf = (integrationId: string) => integrationId.toLowerCase();

export function createCredentialCache(
  lookup: (integrationId: string) => Promise<IntegrationCredentials | null>,
  options: CredentialCacheOptions,
): CredentialCache {
  const now = options.now ?? Date.now;
  const rows = new BoundedCache<IntegrationCredentials>(options.maxEntries ?? 10_000, now);
  let caching = false;
  // Bumped at every eviction of any kind. One counter for all ids, not one per id: changes to credentials are rare,
  // so a lookup that loses its store to another integration's change costs one more read, and nothing to bound.
  let generation = 0;
  const forgetAll = () => {
    generation += 1;
    rows.clear();
  };
  return {
    async get(integrationId) {
      const key = keyOf(integrationId);
      if (caching) {
        const kept = rows.get(key);
        if (kept) return kept;
      }
      const startedAt = generation;
      const row = await lookup(integrationId);
      await options.beforeStore?.(integrationId);
      // An unknown id is not kept: callers cannot fill the cache with ids that do not exist.
      if (row && caching && generation === startedAt) rows.set(key, row, now() + options.maxAgeMs);
      return row;
    },
    evict(integrationId) {
      generation += 1;
      rows.delete(keyOf(integrationId));
    },
    clear: forgetAll,
    resume() {
      forgetAll();
      caching = true;
    },
    suspend() {
      caching = false;
      forgetAll();
    },
    get caching() {
      return caching;
    },
    get size() {
      return rows.size;
    },
  };
}
