// A caller token opens a subgraph once. The gateway signs a fresh token for every subgraph call (its own `jti`), so a
// token seen a second time was copied — from a log, a proxy, a memory dump — and is refused even while its
// signature and lifetime still hold. The guard remembers each accepted token's id until the token expires; memory is
// bounded by `maxEntries`, and when that many unexpired tokens are remembered it refuses new ones rather than
// forgetting old ones (forgetting would re-open exactly the tokens an attacker most recently copied).
//
// Ids are kept in the order they were accepted, which is (almost) the order they expire in, since every token has the
// same lifetime: expired ids are dropped from the front, so each admission costs O(1) amortised.
export type ReplayVerdict = 'first' | 'replayed' | 'full';

export interface ReplayGuard {
  /** Records `tokenId` as used until `expiresAtMs`; says whether it was new, seen before, or could not be recorded. */
  admit(tokenId: string, expiresAtMs: number): ReplayVerdict;
  readonly size: number;
}

export interface ReplayGuardOptions {
  /** Most unexpired token ids held at once. */
  maxEntries: number;
  now?: () => number;
}

/** About 90 bytes an entry: some 18 MiB at most, room for over 3,000 calls a second to one subgraph with 60-second
 * tokens. */
export const DEFAULT_REPLAY_GUARD_ENTRIES = 200_000;

export function createReplayGuard(options: ReplayGuardOptions): ReplayGuard {
  const now = options.now ?? Date.now;
  const expiries = new Map<string, number>();

  const dropExpired = (at: number) => {
    for (const [id, expiresAt] of expiries) {
      if (expiresAt > at) return;
      expiries.delete(id);
    }
  };

  return {
    admit(tokenId, expiresAtMs) {
      const at = now();
      dropExpired(at);
      if (expiries.has(tokenId)) return 'replayed';
      if (expiries.size >= options.maxEntries) return 'full';
      expiries.set(tokenId, expiresAtMs);
      return 'first';
    },
    get size() {
      return expiries.size;
    },
  };
}
