// Who is calling this subgraph, and for which request: the principal and request id in the gateway's caller
// token, verified here. A request without a valid token for this subgraph is refused before GraphQL runs. Every
// call carries a fresh token (its request id is signed into it), so verified tokens are not cached: a cache keyed by
// the token would never be hit, and no cheaper key can stand for a signature not yet checked. What is remembered is
// each accepted token's id, until it expires, so that the same token is never accepted twice (replay-guard.ts).
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWK } from 'jose';
import {
  CALLER_TOKEN_ALG,
  CALLER_TOKEN_ISSUER,
  CALLER_TOKEN_TYPE,
  callerFromClaims,
  callerTokenAudience,
  type VerifiedCaller,
} from '../../access/caller-token.ts';
import { createReplayGuard, DEFAULT_REPLAY_GUARD_ENTRIES } from './replay-guard.ts';
import type { SharedReplayGuard } from './shared-replay-guard.ts';

export type CallerKeys = { jwks: { keys: JWK[] } } | { jwksUrl: string };

/** A valid token that cannot be admitted now: the replay guard holds as many unexpired tokens as it may. */
export const CALLER_TOKENS_BUSY = 'busy';
/** A valid token accepted before: copied, and refused as any invalid token is, but worth a warning. */
export const CALLER_TOKEN_REPLAYED = 'replayed';

export interface CallerVerifier {
  /** The caller of a valid token seen for the first time; null for anything else (missing, forged, expired, other
   * audience, no request id or token id); CALLER_TOKEN_REPLAYED for one accepted before; CALLER_TOKENS_BUSY when
   * it cannot be remembered. */
  verify(
    authorization: string | undefined,
  ): Promise<VerifiedCaller | null | typeof CALLER_TOKENS_BUSY | typeof CALLER_TOKEN_REPLAYED>;
}

export interface CallerVerifierOptions {
  now?: () => number;
  /** Most unexpired token ids remembered (replay-guard.ts). @default DEFAULT_REPLAY_GUARD_ENTRIES */
  maxRememberedTokens?: number;
  /** Also claims each token for all replicas of the subgraph (shared-replay-guard.ts; with REDIS_URL). */
  shared?: SharedReplayGuard;
  /** Bench only, never configuration: ids of tokens accepted any number of times — the one static credential per
   * subgraph that the bench's bare @apollo/gateway sends, as a team without us would deploy it (bench/setup.ts).
   * Refused in production mode by platform/start.ts. */
  benchReusableTokenIds?: ReadonlySet<string>;
}

/** Seconds of clock difference between gateway and subgraph tolerated on `exp` and `iat`. */
const CLOCK_TOLERANCE_SECONDS = 5;

export function createCallerVerifier(
  subgraph: string,
  keys: CallerKeys,
  options: CallerVerifierOptions = {},
): CallerVerifier {
  const now = options.now ?? Date.now;
  const seen = createReplayGuard({
    maxEntries: options.maxRememberedTokens ?? DEFAULT_REPLAY_GUARD_ENTRIES,
    now,
  });
  const keySet =
    'jwks' in keys
      ? createLocalJWKSet(keys.jwks)
      : createRemoteJWKSet(new URL(keys.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 });
  const audience = callerTokenAudience(subgraph);

  return {
    async verify(authorization) {
      if (!authorization?.startsWith('Bearer ')) return null;
      let payload;
      try {
        ({ payload } = await jwtVerify(authorization.slice('Bearer '.length), keySet, {
          issuer: CALLER_TOKEN_ISSUER,
          audience,
          algorithms: [CALLER_TOKEN_ALG],
          typ: CALLER_TOKEN_TYPE,
          requiredClaims: ['exp', 'iat', 'jti'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(now()),
        }));
      } catch {
        return null;
      }
      const caller = callerFromClaims(payload);
      if (!caller || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') return null;
      if (options.benchReusableTokenIds?.has(payload.jti)) return caller;
      // Remembered for as long as jwtVerify would still accept it.
      const expiresAtMs = (payload.exp + CLOCK_TOLERANCE_SECONDS) * 1000;
      const verdict = seen.admit(payload.jti, expiresAtMs);
      if (verdict === 'full') return CALLER_TOKENS_BUSY;
      if (verdict === 'replayed') return CALLER_TOKEN_REPLAYED;
      // New to this process; the shared guard says whether another replica took it first.
      if (options.shared && (await options.shared.claim(payload.jti, expiresAtMs)) === 'replayed')
        return CALLER_TOKEN_REPLAYED;
      return caller;
    },
  };
}
