// The gateway as an ID-porten client (openid-client 6). Discovery happens on first use, is remembered for a day
// (FIKS-FACTS §3: cache the metadata for about 24 h) and is tried again on the next use when it failed, so the
// gateway starts even while ID-porten is unreachable.
import * as client from 'openid-client';
import { ACR_LEVELS, acrAtLeast, type Acr } from '../../common/acr.ts';

const METADATA_TTL_MS = 24 * 60 * 60 * 1000;
/** Seconds an ID-porten request may take before it is abandoned. */
const REQUEST_TIMEOUT_SECONDS = 10;

export interface RelyingPartyOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  allowInsecureRequests: boolean;
}

export interface RelyingParty {
  configuration(): Promise<client.Configuration>;
}

export function createRelyingParty(options: RelyingPartyOptions): RelyingParty {
  let discovered: { at: number; config: Promise<client.Configuration> } | undefined;
  return {
    configuration() {
      if (discovered && Date.now() - discovered.at < METADATA_TTL_MS) return discovered.config;
      const config = client
        .discovery(
          new URL(options.issuer),
          options.clientId,
          undefined,
          // The client is registered with client_secret_basic (config: IDPORTEN_CLIENT_SECRET).
          client.ClientSecretBasic(options.clientSecret),
          {
            timeout: REQUEST_TIMEOUT_SECONDS,
            ...(options.allowInsecureRequests ? { execute: [client.allowInsecureRequests] } : {}),
          },
        )
        .then((c) => {
          c.timeout = REQUEST_TIMEOUT_SECONDS;
          return c;
        });
      const entry = { at: Date.now(), config };
      discovered = entry;
      config.catch(() => {
        if (discovered === entry) discovered = undefined;
      });
      return config;
    },
  };
}

/** The stronger of two levels. */
export function strongerOf(a: Acr, b: Acr): Acr {
  return acrAtLeast(a, b) ? a : b;
}

/**
 * What to send as `acr_values`: the configured minimum, or, when the provider does not offer that level (ID-porten
 * has no eID at `idporten-loa-low`), the weakest level it offers above it.
 */
export function requestedAcr(minimum: Acr, supported: readonly string[] | undefined): Acr {
  if (!supported) return minimum;
  return ACR_LEVELS.find((level) => acrAtLeast(level, minimum) && supported.includes(level)) ?? minimum;
}

/**
 * Whether a failed token request should end the session: true when ID-porten answered and refused (an OAuth error,
 * an unacceptable response); false when it could not be reached or failed on its side, so trying again later may
 * succeed.
 */
export function isRefusal(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return false;
  // fetch() rejects with a TypeError when the connection fails.
  if (error instanceof TypeError && error.message === 'fetch failed') return false;
  if (error instanceof client.ResponseBodyError) return error.status < 500;
  if (error.cause instanceof Response) return error.cause.status < 500;
  return true;
}
