// The checkpoints' half of verification: each checkpoint's signature, its root against the leaves, that each extends
// the one before it, and the witness against the database. A root that does not match cannot say which leaf
// changed; `localize` names the first leaf it puts in doubt: the first after the largest trusted root that still
// matches (narrowed by stored subtrees that no longer match their leaves).
import type { KeyObject } from 'node:crypto';
import { checkCheckpoint, type SignedCheckpoint } from './checkpoint.ts';
import { verifyConsistency } from './merkle/proofs.ts';
import type { MemoryTree } from './merkle/tree.ts';
import { problem, type Problem } from './verification-report.ts';
import type { WitnessContents } from './witness.ts';

/** A problem about a whole tree head: its leaf is filled in by `localize`. */
export interface RootProblem {
  problem: Problem;
  size: number;
}

export interface CheckpointFindings {
  rootProblems: RootProblem[];
  problems: Problem[];
  /** Sizes whose root is trusted (validly signed, not contradicted by the witness), with that root. */
  trusted: Map<number, string>;
  uncommitted: number;
}

const same = (a: SignedCheckpoint, b: SignedCheckpoint) =>
  a.rootHash === b.rootHash &&
  a.issuedAt === b.issuedAt &&
  a.keyId === b.keyId &&
  a.signature === b.signature;

export function checkCheckpoints(
  checkpoints: readonly SignedCheckpoint[],
  witness: WitnessContents,
  tree: MemoryTree,
  keys: ReadonlyMap<string, KeyObject>,
): CheckpointFindings {
  const found: CheckpointFindings = { rootProblems: [], problems: [], trusted: new Map(), uncommitted: 0 };
  const rootProblem = (size: number, p: Problem) => found.rootProblems.push({ problem: p, size });
  const witnessed = new Map<number, SignedCheckpoint>();
  for (const line of witness.lines) {
    const signature = checkCheckpoint(keys, line);
    if (signature !== 'valid') {
      found.problems.push(
        problem('WITNESS_SIGNATURE_INVALID', `witness checkpoint ${line.treeSize}: signature ${signature}`, {
          treeSize: line.treeSize,
        }),
      );
      continue;
    }
    witnessed.set(line.treeSize, line);
    found.trusted.set(line.treeSize, line.rootHash);
  }
  for (const n of witness.unreadable)
    found.problems.push(problem('WITNESS_LINE_UNREADABLE', `witness line ${n} is not a checkpoint`));

  const inDatabase = new Map(checkpoints.map((c) => [c.treeSize, c]));
  for (const c of checkpoints) {
    const signature = checkCheckpoint(keys, c);
    const w = witnessed.get(c.treeSize);
    if (signature === 'unknown-key')
      rootProblem(
        c.treeSize,
        problem('CHECKPOINT_KEY_UNKNOWN', `checkpoint ${c.treeSize}: unknown key ${c.keyId}`),
      );
    if (signature === 'invalid')
      rootProblem(
        c.treeSize,
        problem('CHECKPOINT_SIGNATURE_INVALID', `checkpoint ${c.treeSize}: bad signature`),
      );
    if (w && !same(w, c))
      rootProblem(
        c.treeSize,
        problem('WITNESS_MISMATCH', `checkpoint ${c.treeSize} differs from the witness`),
      );
    if (signature === 'valid' && !w) found.trusted.set(c.treeSize, c.rootHash);
    if (c.treeSize > tree.size || tree.root(c.treeSize).toString('hex') !== c.rootHash)
      rootProblem(
        c.treeSize,
        problem('CHECKPOINT_ROOT_MISMATCH', `the leaves do not give checkpoint ${c.treeSize}`),
      );
  }
  for (let i = 1; i < checkpoints.length; i += 1) {
    const [a, b] = [checkpoints[i - 1]!, checkpoints[i]!];
    if (b.treeSize > tree.size) continue;
    const proof = tree.consistencyProof(a.treeSize, b.treeSize);
    if (!verifyConsistency(a.treeSize, b.treeSize, hex(a.rootHash), hex(b.rootHash), proof))
      rootProblem(
        b.treeSize,
        problem(
          'CHECKPOINT_INCONSISTENT',
          `checkpoint ${b.treeSize} does not extend checkpoint ${a.treeSize}`,
        ),
      );
  }
  const committed = new Set(witness.lines.filter((l) => l.phase === 'committed').map((l) => l.treeSize));
  for (const [size] of witnessed) {
    if (inDatabase.has(size)) continue;
    if (!committed.has(size)) found.uncommitted += 1;
    else
      rootProblem(
        size,
        problem('WITNESS_CHECKPOINT_MISSING', `witness checkpoint ${size} is not in the database`),
      );
  }
  return found;
}

/**
 * The first leaf a root problem of size `size` puts in doubt: every leaf below the largest trusted size that still
 * matches is vouched for, and a stored subtree that no longer matches its leaves narrows it further. Null when a
 * trusted root of this very size matches: the leaves are intact, only the checkpoint row is not.
 */
export function localize(
  size: number,
  trusted: ReadonlyMap<number, string>,
  tree: MemoryTree,
  nodeMismatches: readonly { start: number; end: number }[],
): number | null {
  let vouched = 0;
  for (const [s, root] of trusted) {
    if (s <= size && s > vouched && s <= tree.size && tree.root(s).toString('hex') === root) vouched = s;
  }
  if (vouched === size) return null;
  let first: number | null = null;
  for (const m of nodeMismatches) {
    if (m.end > vouched && m.start < size) first = Math.min(first ?? Infinity, Math.max(m.start, vouched));
  }
  return first ?? vouched;
}

const hex = (s: string) => Buffer.from(s, 'hex');
