// A Maskinporten client: builds the JWT grant (RFC 7523 §2.1) signed with the client's registered key and posts
// it to the token endpoint, as KS's own client does (FIKS-FACTS §2: `ks-no/fiks-maskinporten`, RS256 with `kid`,
// a 2-minute `exp`, a random UUID `jti`). It works unchanged against https://test.maskinporten.no/.
import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
/** Maskinporten accepts grants signed with RS256, RS384 or RS512 (FIKS-FACTS §2). */
export type RsaAlgorithm = 'RS256' | 'RS384' | 'RS512';

export interface MaskinportenTokenRequest {
  /** Maskinporten's issuer, which is also the grant's `aud`, e.g. https://test.maskinporten.no/ */
  issuer: string;
  /** @default `<issuer>token` */
  tokenEndpoint?: string;
  clientId: string;
  /** The private JWK of a key registered on the client. */
  privateKey: JWK;
  /** @default privateKey.kid */
  kid?: string;
  /** @default privateKey.alg, else 'RS256' */
  alg?: RsaAlgorithm;
  /** One scope or several (sent space-separated). */
  scope: string | string[];
  /** Audience restriction for the token (the grant's `resource` claim). */
  resource?: string;
  /** Grant lifetime in seconds; Maskinporten allows at most 120. @default 120 */
  grantLifetime?: number;
  /** @default global fetch */
  fetch?: typeof fetch;
}

export interface MaskinportenTokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

export class MaskinportenTokenError extends Error {
  override name = 'MaskinportenTokenError';
  constructor(
    /** The OAuth `error` code, or 'invalid_response' when the answer was not OAuth JSON. */
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The signed grant alone, for callers that post it themselves. */
export async function createJwtGrant(request: MaskinportenTokenRequest): Promise<string> {
  const alg = request.alg ?? (request.privateKey.alg as RsaAlgorithm | undefined) ?? 'RS256';
  const kid = request.kid ?? request.privateKey.kid;
  if (!kid) throw new TypeError('kid is required: Maskinporten finds the registered key by it');
  const key = await importJWK(request.privateKey, alg);
  const now = Math.floor(Date.now() / 1000);
  const scope = Array.isArray(request.scope) ? request.scope.join(' ') : request.scope;
  return new SignJWT({ scope, ...(request.resource ? { resource: request.resource } : {}) })
    .setProtectedHeader({ alg, kid })
    .setIssuer(request.clientId)
    .setAudience(request.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.grantLifetime ?? 120))
    .setJti(randomUUID())
    .sign(key);
}

/** Gets an access token; throws MaskinportenTokenError with Maskinporten's error code when refused. */
export async function getMaskinportenToken(
  request: MaskinportenTokenRequest,
): Promise<MaskinportenTokenResponse> {
  const assertion = await createJwtGrant(request);
  const response = await (request.fetch ?? fetch)(
    request.tokenEndpoint ?? `${withSlash(request.issuer)}token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion,
      }).toString(),
    },
  );
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok || typeof body?.access_token !== 'string') {
    const code = typeof body?.error === 'string' ? body.error : 'invalid_response';
    const description = typeof body?.error_description === 'string' ? `: ${body.error_description}` : '';
    throw new MaskinportenTokenError(
      code,
      response.status,
      `Maskinporten refused the grant (${code})${description}`,
    );
  }
  return body as unknown as MaskinportenTokenResponse;
}
