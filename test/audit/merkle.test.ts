// The Merkle tree against a naive reference written straight from RFC 9162 §2.1 (MTH, PATH, PROOF by recursion over
// the leaf list): the stored-subtree implementation answers the same roots and proofs for every size, every proof
// verifies, and changing any one bit of a proof, a leaf or a root, or the leaf's index, makes it fail. (The size is
// not bound by a proof but by the signed checkpoint that carries it with the root.)
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leafHash, nodeHash } from '../../subgraphs/audit/merkle/hash.ts';
import { verifyConsistency, verifyInclusion } from '../../subgraphs/audit/merkle/proofs.ts';
import { extendTree, MemoryTree } from '../../subgraphs/audit/merkle/tree.ts';
import { completeSubtrees } from '../../subgraphs/audit/merkle/ranges.ts';

const SEED = 20_260_310;

// RFC 9162 §2.1.1, literally.
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return createHash('sha256').digest();
  if (d.length === 1) return leafHash(d[0]!);
  const k = split(d.length);
  return nodeHash(mth(d.slice(0, k)), mth(d.slice(k)));
}
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
// RFC 9162 §2.1.3.1, literally.
function path(m: number, d: Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const k = split(d.length);
  return m < k
    ? [...path(m, d.slice(0, k)), mth(d.slice(k))]
    : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}
// RFC 9162 §2.1.4.1, literally.
function subproof(m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const k = split(d.length);
  return m <= k
    ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))]
    : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}

const data = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`leaf ${i}`));
const flip = (b: Uint8Array, bit: number) => {
  const copy = Buffer.from(b);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
};

describe('audit / merkle tree (RFC 9162 §2.1)', () => {
  it('answers the reference MTH for every size up to 70, in memory and grown from a frontier in any steps', () => {
    for (let n = 1; n <= 70; n += 1) {
      const d = data(n);
      const tree = new MemoryTree(d.map((x) => leafHash(x)));
      expect(tree.root().equals(mth(d)), `size ${n}`).toBe(true);
    }
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 12 }), (steps) => {
        const leaves = data(steps.reduce((a, b) => a + b, 0)).map((x) => leafHash(x));
        const whole = new MemoryTree(leaves);
        let size = 0;
        let frontier: Buffer[] = [];
        for (const step of steps) {
          const grown = extendTree(size, frontier, leaves.slice(size, size + step));
          for (const node of grown.nodes) expect(node.hash.equals(whole.subtree(node))).toBe(true);
          size = grown.size;
          expect(grown.root.equals(whole.root(size))).toBe(true);
          frontier = completeSubtrees(0, size).map(whole.subtree);
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('gives the reference inclusion proof for every (index, size), and it verifies', () => {
    for (let n = 1; n <= 40; n += 1) {
      const d = data(n);
      const tree = new MemoryTree(d.map((x) => leafHash(x)));
      for (let m = 0; m < n; m += 1) {
        const proof = tree.inclusionProof(m);
        expect(proof.map((h) => h.toString('hex'))).toEqual(path(m, d).map((h) => h.toString('hex')));
        expect(verifyInclusion(m, n, leafHash(d[m]!), proof, mth(d)), `${m} of ${n}`).toBe(true);
      }
    }
  });

  it('gives the reference consistency proof for every (first, second), and it verifies', () => {
    for (let n = 1; n <= 40; n += 1) {
      const d = data(n);
      const tree = new MemoryTree(d.map((x) => leafHash(x)));
      for (let m = 1; m <= n; m += 1) {
        const proof = tree.consistencyProof(m, n);
        const reference = m === n ? [] : subproof(m, d, true);
        expect(proof.map((h) => h.toString('hex'))).toEqual(reference.map((h) => h.toString('hex')));
        expect(verifyConsistency(m, n, mth(d.slice(0, m)), mth(d), proof), `${m} to ${n}`).toBe(true);
      }
    }
  });

  it('refuses an inclusion proof with any bit flipped, or for another index, leaf or root', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), (n, mSeed, bitSeed) => {
        const d = data(n);
        const tree = new MemoryTree(d.map((x) => leafHash(x)));
        const m = mSeed % n;
        const proof = tree.inclusionProof(m);
        const leaf = leafHash(d[m]!);
        const root = tree.root();
        expect(verifyInclusion(m, n, leaf, proof, root)).toBe(true);
        expect(verifyInclusion(m, n, flip(leaf, bitSeed % 256), proof, root)).toBe(false);
        expect(verifyInclusion(m, n, leaf, proof, flip(root, bitSeed % 256))).toBe(false);
        if (proof.length > 0) {
          const at = bitSeed % proof.length;
          const bad = proof.map((h, i) => (i === at ? flip(h, bitSeed % 256) : h));
          expect(verifyInclusion(m, n, leaf, bad, root)).toBe(false);
          expect(verifyInclusion(m, n, leaf, proof.slice(1), root)).toBe(false);
        }
        expect(verifyInclusion(m, n, leaf, [...proof, root], root)).toBe(false);
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, leaf, proof, root)).toBe(false);
        expect(verifyInclusion(n, n, leaf, proof, root)).toBe(false);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('refuses a consistency proof with any bit flipped, short, or between other roots', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.nat(), fc.nat(), (n, mSeed, bitSeed) => {
        const d = data(n);
        const tree = new MemoryTree(d.map((x) => leafHash(x)));
        const m = 1 + (mSeed % (n - 1));
        const proof = tree.consistencyProof(m, n);
        const first = tree.root(m);
        const second = tree.root(n);
        expect(verifyConsistency(m, n, first, second, proof)).toBe(true);
        const at = bitSeed % proof.length;
        const bad = proof.map((h, i) => (i === at ? flip(h, bitSeed % 256) : h));
        expect(verifyConsistency(m, n, first, second, bad)).toBe(false);
        expect(verifyConsistency(m, n, flip(first, bitSeed % 256), second, proof)).toBe(false);
        expect(verifyConsistency(m, n, first, flip(second, bitSeed % 256), proof)).toBe(false);
        expect(verifyConsistency(m, n, first, second, proof.slice(0, -1))).toBe(false);
        expect(verifyConsistency(m, n, first, second, [])).toBe(false);
        // A first tree that is not a prefix of the second: its last leaf differs.
        const other = new MemoryTree([...d.slice(0, m - 1), Buffer.from('other')].map((x) => leafHash(x)));
        expect(verifyConsistency(m, n, other.root(), second, proof)).toBe(false);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
