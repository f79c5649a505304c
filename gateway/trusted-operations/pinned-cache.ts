// Keeps a trusted operation's parsed-and-validated document (Apollo Server's document store) and its query plan
// (@apollo/gateway's plan cache) for as long as the operation is trusted, instead of in the size-bounded LRU that
// free-form text competes for (#12 item 3). A flood of distinct free-form texts evicts only other free-form texts: a
// registered operation is parsed, validated and planned once, then reused for every request that names it.
//
// Both caches are keyed by the operation's id when a request runs a trusted operation (apq-cache.ts): Apollo's
// document store by `<schema hash>:<id>`, the gateway's plan cache by the id itself (plugin.ts drops the operation
// name of a single-operation document so the key is the id alone). Whether a key is a trusted operation's is asked
// of the texts the trusted-operations plugin admitted, which are content-addressed and never hold free-form text.
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';

/** Values pinned at once (documents or plans, each); past it the oldest is unpinned and left to the LRU. */
const MAX_PINNED = 10_000;

/** The operation id a cache key names: the part after the schema hash's colon, or the whole key. */
function idOf(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}

/** The part before the id: the schema hash in Apollo's document store, empty in the plan cache. */
function prefixOf(key: string): string {
  return key.slice(0, key.lastIndexOf(':') + 1);
}

export class PinningCache<V extends object> implements KeyValueCache<V> {
  private readonly pinned = new Map<string, V>();
  /** The prefix of the newest pinned key: a new schema hash makes older schemas' documents unreachable. */
  private prefix = '';

  constructor(
    private readonly isTrusted: (id: string) => boolean,
    private readonly lru: InMemoryLRUCache<V> = new InMemoryLRUCache<V>({
      // Apollo's own defaults for both caches: about 30 MiB, sized by their JSON.
      maxSize: 30 * 2 ** 20,
      sizeCalculation: (value) => InMemoryLRUCache.sizeCalculation(value),
    }),
    private readonly maxPinned = MAX_PINNED,
  ) {}

  get(key: string): Promise<V | undefined> {
    const value = this.pinned.get(key);
    return value !== undefined ? Promise.resolve(value) : this.lru.get(key);
  }

  set(key: string, value: V): Promise<void> {
    if (!this.isTrusted(idOf(key))) return this.lru.set(key, value);
    const prefix = prefixOf(key);
    if (prefix !== this.prefix) {
      // The schema changed: what was pinned under the old one is never asked for again.
      for (const old of this.pinned.keys()) if (prefixOf(old) !== prefix) this.pinned.delete(old);
      this.prefix = prefix;
    }
    if (!this.pinned.has(key) && this.pinned.size >= this.maxPinned) {
      this.pinned.delete(this.pinned.keys().next().value!);
    }
    this.pinned.set(key, value);
    return Promise.resolve();
  }

  async delete(key: string): Promise<boolean> {
    const unpinned = this.pinned.delete(key);
    return (await this.lru.delete(key)) || unpinned;
  }

  /** The gateway clears its plan cache when the supergraph changes: pinned plans go too. */
  clear(): void {
    this.pinned.clear();
    this.lru.clear();
  }

  /** How many values are pinned (for tests and the bench). */
  get pinnedCount(): number {
    return this.pinned.size;
  }
}
