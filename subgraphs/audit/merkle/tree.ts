// The tree itself: growing it by new leaves from its right frontier (the checkpointer), and a whole tree in memory
// (verification recomputes one from the events; the property tests check proofs against it).
import { nodeHash } from './hash.ts';
import { consistencyProofRanges, foldRight, inclusionProofRanges, rangeHash } from './proofs.ts';
import { completeSubtrees, type NodeRef } from './ranges.ts';

export interface StoredNode extends NodeRef {
  hash: Buffer;
}

/**
 * Appends leaves to a tree of `size` leaves whose frontier (the hashes of completeSubtrees(0, size), left to right)
 * is given: answers every subtree of level >= 1 the new leaves complete, and the new root. Reads no other leaf.
 */
export function extendTree(
  size: number,
  frontier: readonly Buffer[],
  leaves: readonly Buffer[],
): { nodes: StoredNode[]; root: Buffer; size: number } {
  const refs = completeSubtrees(0, size);
  if (refs.length !== frontier.length) throw new RangeError('frontier does not match the tree size');
  const stack: StoredNode[] = refs.map((ref, i) => ({ ...ref, hash: frontier[i]! }));
  const nodes: StoredNode[] = [];
  let next = size;
  for (const leaf of leaves) {
    let carry: StoredNode = { level: 0, index: next, hash: leaf };
    next += 1;
    // A binary counter: two neighbouring subtrees of one size become one of twice the size.
    while (stack.length > 0 && stack[stack.length - 1]!.level === carry.level) {
      const left = stack.pop()!;
      carry = { level: carry.level + 1, index: left.index / 2, hash: nodeHash(left.hash, carry.hash) };
      nodes.push(carry);
    }
    stack.push(carry);
  }
  if (stack.length === 0) throw new RangeError('an empty tree has no root');
  return { nodes, root: foldRight(stack.map((n) => n.hash)), size: next };
}

/** A whole tree in memory: every complete subtree, level by level. */
export class MemoryTree {
  private readonly levels: Buffer[][];

  constructor(leaves: readonly Buffer[]) {
    this.levels = [[...leaves]];
    for (let below = this.levels[0]!; below.length >= 2;) {
      const level: Buffer[] = [];
      for (let i = 0; i + 1 < below.length; i += 2) level.push(nodeHash(below[i]!, below[i + 1]!));
      this.levels.push(level);
      below = level;
    }
  }

  get size(): number {
    return this.levels[0]!.length;
  }

  /** The hashes of level `level` (1 and up: the stored nodes), left to right. */
  level(level: number): readonly Buffer[] {
    return this.levels[level] ?? [];
  }

  readonly subtree = (ref: NodeRef): Buffer => {
    const hash = this.levels[ref.level]?.[ref.index];
    if (!hash) throw new RangeError(`no subtree ${ref.level}:${ref.index}`);
    return hash;
  };

  /** MTH(D[0:size]). */
  root(size = this.size): Buffer {
    return rangeHash([0, size], this.subtree);
  }

  inclusionProof(index: number, size = this.size): Buffer[] {
    return inclusionProofRanges(index, size).map((range) => rangeHash(range, this.subtree));
  }

  consistencyProof(first: number, second = this.size): Buffer[] {
    return consistencyProofRanges(first, second).map((range) => rangeHash(range, this.subtree));
  }
}
