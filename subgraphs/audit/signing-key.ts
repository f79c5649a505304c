// The key that signs the audit log's checkpoints (Ed25519, RFC 8032): AUDIT_SIGNING_KEY, or in development one
// generated at the first start and kept in the data folder, so that checkpoints signed before a restart still verify
// after it (a fresh key per start, as the caller-token key has, would orphan every earlier checkpoint).
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { JWK } from 'jose';
import type { AuditLogSettings } from '../../common/config.ts';

export interface AuditKey {
  /** RFC 7638 JWK thumbprint of the public key (RFC 8037 §2: crv, kty, x). */
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JWK;
}

const loaded = new WeakMap<AuditLogSettings, Promise<AuditKey>>();

/** The settings' key, loaded (or, in development, generated) once per settings object. */
export function auditKeyOf(settings: AuditLogSettings): Promise<AuditKey> {
  let key = loaded.get(settings);
  if (!key) {
    key = settings.signingKey
      ? Promise.resolve(fromJwk(settings.signingKey))
      : keptKey(settings.signingKeyFile);
    loaded.set(settings, key);
  }
  return key;
}

/** The settings' key without generating one: verification must not invent the key it checks against. */
export async function existingAuditKey(settings: AuditLogSettings): Promise<AuditKey | null> {
  if (settings.signingKey) return fromJwk(settings.signingKey);
  try {
    return fromJwk(JSON.parse(await readFile(settings.signingKeyFile, 'utf8')) as JWK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function fromJwk(jwk: JWK): AuditKey {
  const privateKey = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the audit signing key must be Ed25519');
  const publicKey = createPublicKey(privateKey);
  const { crv, kty, x } = publicKey.export({ format: 'jwk' });
  const keyId = createHash('sha256').update(JSON.stringify({ crv, kty, x })).digest('base64url');
  return { keyId, privateKey, publicKey, publicJwk: { kty, crv, x, kid: keyId, alg: 'EdDSA', use: 'sig' } };
}

async function keptKey(file: string): Promise<AuditKey> {
  try {
    return fromJwk(JSON.parse(await readFile(file, 'utf8')) as JWK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  await mkdir(dirname(file), { recursive: true });
  try {
    // 'wx': two processes starting at once keep one key, the first one's.
    await writeFile(file, JSON.stringify(jwk), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return fromJwk(JSON.parse(await readFile(file, 'utf8')) as JWK);
  }
  return fromJwk(jwk);
}
