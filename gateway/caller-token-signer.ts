// Signs the caller tokens the gateway sends to subgraphs, and publishes the public key as a JWKS. Every subgraph
// call gets its own token, carrying the principal and the request id, so nothing about the caller travels beside
// the signature. Signed with node:crypto (Ed25519, ~35 µs on the event loop): as cheap as jose's WebCrypto signing
// on the event loop, without its further ~30 µs on the thread pool (bench/caller-token-cost.ts). The token is an
// ordinary compact JWS; subgraphs verify it with jose.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import {
  CALLER_TOKEN_ALG,
  CALLER_TOKEN_ISSUER,
  CALLER_TOKEN_TYPE,
  callerClaims,
  callerTokenAudience,
} from '../access/caller-token.ts';
import type { Principal } from '../access/principal.ts';

export interface CallerTokenSigner {
  /** A fresh caller token for one call: this principal, this request (the gateway's request id, a UUID),
   * audience-bound to one subgraph. */
  tokenFor(principal: Principal, subgraph: string, requestId: string): string;
  /** The public keys subgraphs verify with. */
  readonly jwks: { keys: JWK[] };
}

export interface CallerTokenSignerOptions {
  /** Private Ed25519 JWK (checked by common/config.ts). Undefined: a fresh key pair for this process (development). */
  signingKey: JWK | undefined;
  ttlSeconds: number;
  now?: () => number;
}

const base64url = (text: string) => Buffer.from(text).toString('base64url');

export async function createCallerTokenSigner(options: CallerTokenSignerOptions): Promise<CallerTokenSigner> {
  const now = options.now ?? Date.now;
  const { privateKey, publicJwk } = loadKey(options.signingKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const header = base64url(JSON.stringify({ alg: CALLER_TOKEN_ALG, kid, typ: CALLER_TOKEN_TYPE }));

  return {
    jwks: { keys: [{ ...publicJwk, kid, alg: CALLER_TOKEN_ALG, use: 'sig' }] },
    tokenFor(principal, subgraph, requestId) {
      const issuedAt = Math.floor(now() / 1000);
      const claims = {
        iss: CALLER_TOKEN_ISSUER,
        aud: callerTokenAudience(subgraph),
        iat: issuedAt,
        exp: issuedAt + options.ttlSeconds,
        jti: randomUUID(),
        ...callerClaims(principal, requestId),
      };
      const signingInput = `${header}.${base64url(JSON.stringify(claims))}`;
      return `${signingInput}.${sign(null, Buffer.from(signingInput), privateKey).toString('base64url')}`;
    },
  };
}

function loadKey(signingKey: JWK | undefined): { privateKey: KeyObject; publicJwk: JWK } {
  let privateKey: KeyObject;
  if (signingKey === undefined) {
    privateKey = generateKeyPairSync('ed25519').privateKey;
  } else {
    // common/config.ts has checked the shape (a private Ed25519 JWK) and names CALLER_SIGNING_KEY when it is wrong.
    privateKey = createPrivateKey({ key: signingKey as JsonWebKey, format: 'jwk' });
  }
  const { kty, crv, x } = createPublicKey(privateKey).export({ format: 'jwk' });
  return { privateKey, publicJwk: { kty, crv, x } };
}
