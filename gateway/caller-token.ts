// Signs the caller tokens the gateway sends to subgraphs, and publishes the public key as a JWKS. Signing costs
// ~0.2 ms, so a token is reused for the same principal and subgraph for half its lifetime; the request id travels
// beside it in its own header.
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import {
  CALLER_TOKEN_ALG,
  CALLER_TOKEN_ISSUER,
  PRINCIPAL_CLAIM,
  callerTokenAudience,
  principalKey,
} from '../access/caller-token.ts';
import type { Principal } from '../access/principal.ts';
import { BoundedCache } from '../common/bounded-cache.ts';

export interface CallerTokenSigner {
  /** A caller token for this principal, audience-bound to one subgraph. */
  tokenFor(principal: Principal, subgraph: string): Promise<string>;
  /** The public keys subgraphs verify with. */
  readonly jwks: { keys: JWK[] };
}

export interface CallerTokenSignerOptions {
  /** Private Ed25519 JWK as JSON. Undefined: a fresh key pair for this process (development). */
  signingKey: string | undefined;
  ttlSeconds: number;
  now?: () => number;
}

export async function createCallerTokenSigner(options: CallerTokenSignerOptions): Promise<CallerTokenSigner> {
  const now = options.now ?? Date.now;
  const { privateKey, publicJwk } = await loadKey(options.signingKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const cache = new BoundedCache<Promise<string>>(10_000, now);
  const reuseMs = (options.ttlSeconds * 1000) / 2;

  return {
    jwks: { keys: [{ ...publicJwk, kid, alg: CALLER_TOKEN_ALG, use: 'sig' }] },
    tokenFor(principal, subgraph) {
      const key = `${subgraph}\n${principalKey(principal)}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const issuedAt = Math.floor(now() / 1000);
      const token = new SignJWT({ [PRINCIPAL_CLAIM]: principal })
        .setProtectedHeader({ alg: CALLER_TOKEN_ALG, kid, typ: 'fiks-caller+jwt' })
        .setIssuer(CALLER_TOKEN_ISSUER)
        .setAudience(callerTokenAudience(subgraph))
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + options.ttlSeconds)
        .sign(privateKey);
      cache.set(key, token, now() + reuseMs);
      token.catch(() => cache.clear());
      return token;
    },
  };
}

async function loadKey(signingKey: string | undefined) {
  if (signingKey === undefined) {
    const pair = await generateKeyPair(CALLER_TOKEN_ALG, { crv: 'Ed25519', extractable: true });
    return { privateKey: pair.privateKey, publicJwk: await exportJWK(pair.publicKey) };
  }
  const jwk = JSON.parse(signingKey) as JWK;
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string') {
    throw new Error('CALLER_SIGNING_KEY: must be a private Ed25519 JWK');
  }
  const { d: _d, ...publicJwk } = jwk;
  return { privateKey: await importJWK(jwk, CALLER_TOKEN_ALG), publicJwk };
}
