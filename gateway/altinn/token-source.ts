// The platform's own Maskinporten token for calling Altinn. One token is reused until shortly before it expires,
// as KS's client does (FIKS-FACTS §2: cached until `expires_in − numberOfSecondsLeftBeforeExpire`), and at most one
// token request is in flight: a burst of act-for requests on a cold start asks Maskinporten once.
import type { JWK } from 'jose';
import { getMaskinportenToken } from '../../common/maskinporten-client.ts';

/** The scope Altinn's resource-owner authorized-parties API requires (FIKS-FACTS §4). */
export const AUTHORIZED_PARTIES_SCOPE = 'altinn:accessmanagement/authorizedparties.resourceowner';

/** A token is not used in its last 30 seconds, so it cannot expire between our check and Altinn's. */
const REFRESH_MARGIN_SECONDS = 30;

export interface TokenSourceOptions {
  issuer: string;
  tokenEndpoint?: string;
  clientId: string;
  privateKey: JWK;
  now: () => number;
  fetch: typeof fetch;
}

export interface TokenSource {
  /** A valid access token: the cached one, or a fresh one. Throws when Maskinporten cannot be asked. */
  token(): Promise<string>;
  /** Forgets `token` if it is still the cached one (Altinn refused it); a newer token is kept. */
  invalidate(token: string): void;
}

export function createTokenSource(options: TokenSourceOptions): TokenSource {
  let cached: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const fetchedAt = options.now();
    const response = await getMaskinportenToken({
      issuer: options.issuer,
      ...(options.tokenEndpoint ? { tokenEndpoint: options.tokenEndpoint } : {}),
      clientId: options.clientId,
      privateKey: options.privateKey,
      scope: AUTHORIZED_PARTIES_SCOPE,
      fetch: options.fetch,
    });
    const lifetime = response.expires_in;
    if (typeof lifetime === 'number' && Number.isFinite(lifetime) && lifetime > 0) {
      // A short-lived token is still reused for half its life rather than fetched for every call.
      const reuseSeconds = Math.max(lifetime - REFRESH_MARGIN_SECONDS, lifetime / 2);
      cached = { token: response.access_token, refreshAt: fetchedAt + reuseSeconds * 1000 };
    }
    return response.access_token;
  }

  return {
    token() {
      if (cached && options.now() < cached.refreshAt) return Promise.resolve(cached.token);
      cached = undefined;
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
