// A signed checkpoint (tree head): tree size, root hash, when, and which key, signed as one fixed text. Its shape
// follows the C2SP tlog-checkpoint body (an origin line, then the size, then the root), so a browser rebuilds it
// from the four values and checks the Ed25519 signature with WebCrypto.
import { sign, verify, type KeyObject } from 'node:crypto';
import type { AuditKey } from './signing-key.ts';

export const CHECKPOINT_ORIGIN = 'fiks-audit-checkpoint/v1';

export interface SignedCheckpoint {
  treeSize: number;
  /** Lowercase hex. */
  rootHash: string;
  /** RFC 3339 in UTC with milliseconds, as Date.prototype.toISOString writes it. */
  issuedAt: string;
  keyId: string;
  /** base64url, no padding. */
  signature: string;
}

/** The exact text signed: five lines, each ending in a line feed. */
export function signedContent(c: Omit<SignedCheckpoint, 'signature'>): string {
  return `${CHECKPOINT_ORIGIN}\n${c.treeSize}\n${c.rootHash}\n${c.issuedAt}\n${c.keyId}\n`;
}

export function signCheckpoint(
  key: AuditKey,
  head: { treeSize: number; rootHash: string; issuedAt: string },
): SignedCheckpoint {
  const unsigned = { ...head, keyId: key.keyId };
  const signature = sign(null, Buffer.from(signedContent(unsigned), 'utf8'), key.privateKey);
  return { ...unsigned, signature: signature.toString('base64url') };
}

export type SignatureCheck = 'valid' | 'invalid' | 'unknown-key';

/** Checks a signed text against the key its key id names, among the keys trusted. */
export function checkSignature(
  keys: ReadonlyMap<string, KeyObject>,
  keyId: string,
  content: string,
  signature: string,
): SignatureCheck {
  const key = keys.get(keyId);
  if (!key) return 'unknown-key';
  try {
    return verify(null, Buffer.from(content, 'utf8'), key, Buffer.from(signature, 'base64url'))
      ? 'valid'
      : 'invalid';
  } catch {
    return 'invalid';
  }
}

export function checkCheckpoint(keys: ReadonlyMap<string, KeyObject>, c: SignedCheckpoint): SignatureCheck {
  return checkSignature(keys, c.keyId, signedContent(c), c.signature);
}

/** The keys a verifier trusts, by key id. */
export function trustedKeys(...keys: AuditKey[]): Map<string, KeyObject> {
  return new Map(keys.map((k) => [k.keyId, k.publicKey]));
}
