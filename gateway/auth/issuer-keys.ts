// Where an issuer's signing keys are: read from its discovery document once, then a jose remote JWKS that caches
// keys and refetches on an unknown `kid` (key rotation). FIKS-FACTS §2–3: cache metadata and keys for about 24 h.
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { invalidAccessToken } from './auth-error.ts';

export type DiscoveryKind = 'openid-configuration' | 'oauth-authorization-server';

export interface IssuerKeys {
  readonly issuer: string;
  /** The key set, discovered on first use; a failed discovery is retried on the next call. */
  keys(): Promise<JWTVerifyGetKey>;
}

export function discoverIssuerKeys(
  issuer: string,
  kind: DiscoveryKind,
  fetchImpl: typeof fetch = fetch,
): IssuerKeys {
  let pending: Promise<JWTVerifyGetKey> | undefined;
  const discover = async () => {
    // RFC 8414 §3 / OIDC Discovery §4: the well-known path is appended to the issuer.
    const url = `${issuer.replace(/\/$/, '')}/.well-known/${kind}`;
    const response = await fetchImpl(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`discovery of ${issuer} answered ${response.status}`);
    const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    // RFC 8414 §3.3: the issuer in the metadata MUST be identical to the issuer the metadata was fetched for.
    if (metadata.issuer !== issuer) throw new Error(`discovery of ${issuer} names another issuer`);
    if (typeof metadata.jwks_uri !== 'string') throw new Error(`discovery of ${issuer} has no jwks_uri`);
    return createRemoteJWKSet(new URL(metadata.jwks_uri), {
      cacheMaxAge: 24 * 60 * 60_000,
      cooldownDuration: 30_000,
    });
  };
  return {
    issuer,
    keys() {
      pending ??= discover().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return pending;
    },
  };
}

/**
 * Verifies a token issued by this issuer: RS256/384/512 signature against its keys, `iss`, `exp` and `iat` present,
 * 10 s clock leeway, and `aud` when one is expected. Any failure is an invalid access token (FIKS-FACTS §1).
 */
export async function verifyIssuedToken(
  token: string,
  keys: IssuerKeys,
  options: { audience?: string; now?: () => number },
): Promise<Record<string, unknown>> {
  try {
    const { payload } = await jwtVerify(token, await keys.keys(), {
      issuer: keys.issuer,
      audience: options.audience,
      algorithms: ['RS256', 'RS384', 'RS512'],
      requiredClaims: ['exp', 'iat'],
      clockTolerance: 10,
      currentDate: options.now ? new Date(options.now()) : undefined,
    });
    return payload;
  } catch (error) {
    throw invalidAccessToken(error);
  }
}
