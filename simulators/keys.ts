// RSA signing keys for the stand-ins and the demo clients, generated at start and never written to disk: a
// committed private key would be a credential anyone could use (task brief; FIKS-FACTS §2: Maskinporten keys).
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** The algorithms Maskinporten accepts for grants and uses for tokens (FIKS-FACTS §2). ID-porten uses RS256. */
import type { RsaAlgorithm } from '../common/maskinporten-client.ts';
export type { RsaAlgorithm };

export interface RsaKeyPair {
  /** `kid`: the RFC 7638 thumbprint, so it is stable for the key and says nothing else. */
  kid: string;
  alg: RsaAlgorithm;
  /** Private JWK with `kid`, `alg` and `use: 'sig'`. Keep it in memory. */
  privateJwk: JWK;
  /** Public JWK with `kid`, `alg` and `use: 'sig'`, for a JWKS or a client registration. */
  publicJwk: JWK;
}

/** A fresh 2048-bit RSA key pair for signing. */
export async function generateRsaKeyPair(alg: RsaAlgorithm = 'RS256'): Promise<RsaKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const meta = { kid, alg, use: 'sig' };
  return {
    kid,
    alg,
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
    publicJwk: { ...publicJwk, ...meta },
  };
}
