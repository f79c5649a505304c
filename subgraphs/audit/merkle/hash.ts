// RFC 9162 §2.1.1: the Merkle tree's two hashes, SHA-256 with a one-byte prefix that keeps a leaf from ever being
// read as an inner node (second-preimage resistance).
import { createHash } from 'node:crypto';

export const HASH_BYTES = 32;

/** SHA-256(0x00 ‖ data) */
export function leafHash(data: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** SHA-256(0x01 ‖ left ‖ right) */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
