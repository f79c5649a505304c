// Apollo Server's automatic persisted queries, subsumed: its persisted-query cache becomes a read-only view of the
// trusted operations, so no client can register text by hash (APQ's whole point, and a way around a safelist).
// The plugin (plugin.ts) leaves `extensions.persistedQuery` on a request only after it found that id in the
// caller's own lists; Apollo then reads the text here by id — and keys its parsed-and-validated document store and
// @apollo/gateway its plan cache by that id, without hashing the text again. Every other request reaches Apollo
// without the extension. Text is content-addressed (the id is its SHA-256), so one store serves every list.

/** Apollo Server prefixes the keys of the cache it is given (ApolloServer.ts, APQ_CACHE_PREFIX). */
const APQ_PREFIX = 'apq:';
/** Texts kept at once; past it the oldest is dropped (an operation still listed is added again when next used). */
const MAX_TEXTS = 100_000;

export class TrustedTexts {
  private readonly texts = new Map<string, string>();

  /** Makes the text of an operation the plugin admitted readable by its id. */
  admit(id: string, text: string): void {
    if (this.texts.has(id)) return;
    if (this.texts.size >= MAX_TEXTS) this.texts.delete(this.texts.keys().next().value!);
    this.texts.set(id, text);
  }

  /** Whether a request ran this id as a trusted operation (pinned-cache.ts keeps its document and plan). */
  has(id: string): boolean {
    return this.texts.has(id);
  }

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.texts.get(key.startsWith(APQ_PREFIX) ? key.slice(APQ_PREFIX.length) : key));
  }

  /** APQ registration: refused, silently — only registration through the integrations subgraph adds operations. */
  set(): Promise<void> {
    return Promise.resolve();
  }

  delete(): Promise<boolean> {
    return Promise.resolve(false);
  }
}
