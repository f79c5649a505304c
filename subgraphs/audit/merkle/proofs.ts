// Tree heads and proofs from complete subtrees, and their verification exactly as RFC 9162 §2.1.3.2 and §2.1.4.2
// give it, so that anyone (a browser, `npm run audit:verify`) checks them the same way.
import { nodeHash } from './hash.ts';
import { completeSubtrees, consistencyRanges, inclusionRanges, type NodeRef, type Range } from './ranges.ts';

/** The hashes of complete subtrees, however they are kept (in memory, in audit.node). */
export type SubtreeLookup = (ref: NodeRef) => Buffer;

export const refKey = (ref: NodeRef) => `${ref.level}:${ref.index}`;

/** RFC 9162 §2.1.1 MTH of a range made of complete subtrees, left to right: folded from the right. */
export function foldRight(hashes: readonly Buffer[]): Buffer {
  let hash = hashes[hashes.length - 1];
  if (!hash) throw new RangeError('no subtree to fold');
  for (let i = hashes.length - 2; i >= 0; i -= 1) hash = nodeHash(hashes[i]!, hash);
  return hash;
}

export function rangeHash([start, end]: Range, lookup: SubtreeLookup): Buffer {
  return foldRight(completeSubtrees(start, end).map(lookup));
}

/** Every complete subtree needed to answer these ranges: fetch them, then call rangeHash. */
export function subtreesOf(ranges: readonly Range[]): NodeRef[] {
  const refs = new Map<string, NodeRef>();
  for (const [start, end] of ranges)
    for (const ref of completeSubtrees(start, end)) refs.set(refKey(ref), ref);
  return [...refs.values()];
}

export const inclusionProofRanges = (index: number, size: number) => inclusionRanges(index, 0, size);
export const consistencyProofRanges = (first: number, second: number) =>
  first === second ? [] : consistencyRanges(first, second);

const odd = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

/** RFC 9162 §2.1.3.2: verifying an inclusion proof. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && Buffer.from(r).equals(root);
}

/** RFC 9162 §2.1.4.2: verifying consistency between tree heads of sizes first <= second. */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 1 || first > second)
    return false;
  if (first === second) return proof.length === 0 && Buffer.from(firstRoot).equals(secondRoot);
  // 1. An empty proof proves nothing.
  if (proof.length === 0) return false;
  // 2. A power-of-two first tree is itself a node of the second: it leads the path.
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return Buffer.from(fr).equals(firstRoot) && Buffer.from(sr).equals(secondRoot) && sn === 0;
}

function isPowerOfTwo(x: number): boolean {
  let y = x;
  while (y > 1 && y % 2 === 0) y /= 2;
  return y === 1;
}
