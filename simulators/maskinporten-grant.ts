// Validation of a Maskinporten JWT grant: RFC 7523 §2.1 (JWT as authorization grant) and §3 (its processing), as
// Maskinporten profiles it (FIKS-FACTS §2, DIGDIR `maskinporten_protocol_jwtgrant.md`). Pure apart from the
// replay cache it is given, so the clock can be pinned.
import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, importJWK, jwtVerify, type JWK } from 'jose';

/** A Maskinporten client as registered in Digdir self-service. */
export interface MaskinportenClientRegistration {
  clientId: string;
  /** The organisation the client belongs to; it becomes the token's `consumer`. */
  orgnr: string;
  /** Scopes the organisation has been granted access to (e.g. `ks:fiks`). */
  scopes: string[];
  /** Public keys registered on the client, each with a `kid` (asymmetric-key clients, not business certificates). */
  publicKeys: JWK[];
}

/** OAuth error codes the token endpoint answers with (RFC 6749 §5.2). */
export type GrantErrorCode = 'invalid_request' | 'unsupported_grant_type' | 'invalid_grant' | 'invalid_scope';

export class GrantError extends Error {
  override name = 'GrantError';
  constructor(
    readonly code: GrantErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface AcceptedGrant {
  client: MaskinportenClientRegistration;
  scopes: string[];
  /** The audience the client asked to restrict the token to (`resource` claim). */
  resource?: string | string[];
}

export interface GrantContext {
  issuer: string;
  clients: ReadonlyMap<string, MaskinportenClientRegistration>;
  /** Seconds since the epoch. */
  now: number;
  /** Grant ids seen, with when they may be forgotten (their `exp`). */
  seen: Map<string, number>;
}

const ALGORITHMS = ['RS256', 'RS384', 'RS512'];
/** FIKS-FACTS §2: `iat` must be within ±10 s of Maskinporten's clock, and `exp - iat` at most 120 s. */
const MAX_CLOCK_SKEW = 10;
const MAX_GRANT_LIFETIME = 120;

const invalid = (message: string, cause?: unknown) => new GrantError('invalid_grant', message, { cause });

function parse(assertion: string) {
  try {
    return { header: decodeProtectedHeader(assertion), claims: decodeJwt(assertion) };
  } catch (cause) {
    throw invalid('The assertion is not a signed JWT.', cause);
  }
}

/** Verifies a grant and returns what it asks for; throws a GrantError saying why it is refused. */
export async function verifyJwtGrant(assertion: string, context: GrantContext): Promise<AcceptedGrant> {
  const { header, claims } = parse(assertion);
  // FIKS-FACTS §2: alg is RS256, RS384 or RS512; `kid` names a pre-registered key (x5c is not supported here).
  if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg)) throw invalid('Unsupported alg.');
  if (typeof header.kid !== 'string')
    throw invalid('The grant header must have a kid naming a registered key.');
  // RFC 7523 §3: the JWT MUST contain an iss claim; Maskinporten requires it to be the client_id.
  const client = typeof claims.iss === 'string' ? context.clients.get(claims.iss) : undefined;
  if (!client) throw invalid('Unknown client (iss).');
  const jwk = client.publicKeys.find((k) => k.kid === header.kid);
  if (!jwk) throw invalid('The kid is not registered on this client.');

  let payload;
  try {
    const key = await importJWK({ ...jwk, alg: header.alg }, header.alg);
    // RFC 7523 §3: aud MUST identify the authorization server (Maskinporten: its issuer); exp MUST be present.
    ({ payload } = await jwtVerify(assertion, key, {
      algorithms: ALGORITHMS,
      audience: context.issuer,
      issuer: client.clientId,
      requiredClaims: ['iat', 'exp'],
      currentDate: new Date(context.now * 1000),
    }));
  } catch (cause) {
    if (cause instanceof joseErrors.JWTExpired) throw invalid('The grant has expired.', cause);
    if (cause instanceof joseErrors.JWTClaimValidationFailed)
      throw invalid(`Invalid ${cause.claim} claim.`, cause);
    throw invalid('Invalid grant signature.', cause);
  }
  const { iat, exp } = payload as { iat: number; exp: number };
  if (Math.abs(context.now - iat) > MAX_CLOCK_SKEW)
    throw invalid('iat is not within 10 seconds of the server clock.');
  if (exp - iat > MAX_GRANT_LIFETIME) throw invalid('The grant lives longer than 120 seconds (exp - iat).');
  if (payload.consumer_org !== undefined || payload.iss_onbehalfof !== undefined) {
    throw invalid('Delegation (consumer_org, iss_onbehalfof) is not supported by this stand-in.');
  }

  // RFC 7523 §3: the server may refuse a replayed JWT. Maskinporten does, by jti (recommended) or the grant itself.
  const grantId = `${client.clientId}\0${payload.jti ?? createHash('sha256').update(assertion).digest('base64url')}`;
  for (const [id, until] of context.seen) if (until < context.now - MAX_CLOCK_SKEW) context.seen.delete(id);
  if (context.seen.has(grantId)) throw invalid('The grant has been used before (jti).');
  context.seen.set(grantId, exp);

  const requested = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
  if (requested.length === 0) throw new GrantError('invalid_scope', 'The grant asks for no scope.');
  const refused = requested.filter((s) => !client.scopes.includes(s));
  // RFC 6749 §5.2 invalid_scope: "exceeds the scope granted by the resource owner".
  if (refused.length > 0)
    throw new GrantError('invalid_scope', `Scope not granted to this client: ${refused.join(' ')}`);
  const resource = payload.resource;
  if (resource !== undefined && typeof resource !== 'string' && !Array.isArray(resource)) {
    throw invalid('resource must be a string or an array of strings.');
  }
  return {
    client,
    scopes: requested,
    ...(resource !== undefined ? { resource: resource as string | string[] } : {}),
  };
}
