// Which subtrees a tree head or a proof is made of, as leaf ranges, so that proofs can be answered from stored nodes
// (audit.node) as well as from leaves in memory. Indices are plain numbers: exact up to 2^53 leaves.

/** A complete subtree: leaves [index·2^level, (index+1)·2^level). Level 0 is one leaf. */
export interface NodeRef {
  level: number;
  index: number;
}

/** A leaf range [start, end). */
export type Range = readonly [start: number, end: number];

/** RFC 9162 §2.1.1: k, the largest power of two smaller than n (n > 1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The complete subtrees that make up [start, end), left to right, largest first. Every range RFC 9162's MTH, PATH
 * and PROOF recurse into starts at a multiple of a power of two at least its size, and for those the hash of the
 * range is these subtrees folded from the right (`foldRight`).
 */
export function completeSubtrees(start: number, end: number): NodeRef[] {
  const refs: NodeRef[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    while (at % (size * 2) === 0 && at + size * 2 <= end) size *= 2;
    refs.push({ level: Math.log2(size), index: at / size });
    at += size;
  }
  return refs;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[start:end]): the ranges whose hashes form the inclusion proof, bottom up. */
export function inclusionRanges(m: number, start: number, end: number): Range[] {
  const n = end - start;
  if (n <= 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...inclusionRanges(m, start, start + k), [start + k, end]];
  return [...inclusionRanges(m - k, start + k, end), [start, start + k]];
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true), 0 < m <= n: the ranges of the consistency proof. */
export function consistencyRanges(m: number, n: number): Range[] {
  return subproof(m, 0, n, true);
}

function subproof(m: number, start: number, end: number, complete: boolean): Range[] {
  const n = end - start;
  if (m === n) return complete ? [] : [[start, end]];
  const k = splitPoint(n);
  if (m <= k) return [...subproof(m, start, start + k, complete), [start + k, end]];
  return [...subproof(m - k, start + k, end, false), [start, start + k]];
}
