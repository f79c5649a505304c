// Where an issuer's signing keys are: read from its discovery document once, then a jose remote JWKS that caches
// keys and refetches on an unknown `kid` (key rotation). FIKS-FACTS §2–3: cache metadata and keys for about 24 h.
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { isHttps } from '../../common/config.ts';
import { AuthError, invalidAccessToken } from './auth-error.ts';

export type DiscoveryKind = 'openid-configuration' | 'oauth-authorization-server';

export interface IssuerKeys {
  readonly issuer: string;
  /** The key set, discovered on first use; a failed discovery is retried on the next call. */
  keys(): Promise<JWTVerifyGetKey>;
}

export interface DiscoveryOptions {
  /** Refuse an issuer or a `jwks_uri` that is not https (production). @default false */
  requireHttps?: boolean;
  /** @default global fetch */
  fetch?: typeof fetch;
}

export function discoverIssuerKeys(
  issuer: string,
  kind: DiscoveryKind,
  options: DiscoveryOptions = {},
): IssuerKeys {
  const fetchImpl = options.fetch ?? fetch;
  let pending: Promise<JWTVerifyGetKey> | undefined;
  const discover = async () => {
    if (options.requireHttps && !isHttps(issuer)) throw new Error(`issuer ${issuer} is not https`);
    // RFC 8414 §3 / OIDC Discovery §4: the well-known path is appended to the issuer.
    const url = `${issuer.replace(/\/$/, '')}/.well-known/${kind}`;
    const response = await fetchImpl(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`discovery of ${issuer} answered ${response.status}`);
    const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    // RFC 8414 §3.3: the issuer in the metadata MUST be identical to the issuer the metadata was fetched for.
    if (metadata.issuer !== issuer) throw new Error(`discovery of ${issuer} names another issuer`);
    if (typeof metadata.jwks_uri !== 'string') throw new Error(`discovery of ${issuer} has no jwks_uri`);
    // The keys decide which tokens are trusted: in production they are fetched over TLS only, wherever the
    // (possibly tampered or misconfigured) metadata points.
    if (options.requireHttps && !isHttps(metadata.jwks_uri)) {
      throw new Error(`discovery of ${issuer} names a jwks_uri that is not https`);
    }
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
  let getKey: JWTVerifyGetKey;
  try {
    getKey = await keys.keys();
  } catch (error) {
    // Not the token's fault: the issuer's keys could not be found. Fail closed, and say so (logged with the reason).
    throw new AuthError(
      503,
      'SERVICE_UNAVAILABLE',
      'Innloggingstjenesten svarer ikke nå. Prøv igjen senere.',
      {},
      {
        cause: error,
      },
    );
  }
  try {
    const { payload } = await jwtVerify(token, getKey, {
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
