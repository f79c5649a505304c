// What verification found: problems with a stable code, each naming the event (leaf index and id) where it can, and
// never an event's content — the report goes to operators and to the terminal.

export type ProblemCode =
  /** The event no longer hashes to its leaf: a column was changed, or leaves were swapped. */
  | 'LEAF_HASH_MISMATCH'
  /** The leaf's event is gone, and no signed pruning covers it. */
  | 'EVENT_MISSING'
  /** A leaf index inside the tree has no leaf. */
  | 'LEAF_MISSING'
  /** A leaf beyond the latest checkpoint: leaves are only ever stored with a checkpoint. */
  | 'LEAF_OUTSIDE_CHECKPOINTS'
  /** An event from before the latest checkpoint that is in no leaf: inserted behind the log's back. */
  | 'EVENT_NOT_IN_TREE'
  /** A stored subtree that does not hash from the leaves below it, or is missing. */
  | 'NODE_MISMATCH'
  | 'CHECKPOINT_SIGNATURE_INVALID'
  | 'CHECKPOINT_KEY_UNKNOWN'
  /** The leaves do not give the checkpoint's root. */
  | 'CHECKPOINT_ROOT_MISMATCH'
  /** A later checkpoint does not extend an earlier one (RFC 9162 §2.1.4). */
  | 'CHECKPOINT_INCONSISTENT'
  /** The witness holds another checkpoint of this size than the database. */
  | 'WITNESS_MISMATCH'
  /** The witness holds a committed checkpoint the database does not. */
  | 'WITNESS_CHECKPOINT_MISSING'
  | 'WITNESS_SIGNATURE_INVALID'
  | 'WITNESS_LINE_UNREADABLE'
  /** An AUDIT_PRUNED event whose record is not signed by a trusted key. */
  | 'PRUNING_SIGNATURE_INVALID';

export interface Problem {
  code: ProblemCode;
  message: string;
  /** The first leaf this problem puts in doubt, where it can be told. */
  leafIndex: number | null;
  eventId: string | null;
  /** The checkpoint (tree size) concerned, if any. */
  treeSize: number | null;
}

export interface AuditLogVerification {
  ok: boolean;
  /** The size of the latest checkpoint. */
  treeSize: number;
  leaves: number;
  checkpoints: number;
  witnessLines: number;
  /** Witness lines of a checkpoint whose database commit failed (prepared, never committed). */
  uncommittedWitnessLines: number;
  prunedEvents: number;
  /** Events that are in no checkpoint yet. */
  pendingEvents: number;
  problemCount: number;
  /** The first problems by leaf index, at most MAX_LISTED. */
  problems: Problem[];
  /** The earliest event that does not match: where the log was first changed. */
  firstMismatch: Problem | null;
}

export const MAX_LISTED = 100;

export function problem(
  code: ProblemCode,
  message: string,
  at: { leafIndex?: number | null; eventId?: string | null; treeSize?: number | null } = {},
): Problem {
  return {
    code,
    message,
    leafIndex: at.leafIndex ?? null,
    eventId: at.eventId ?? null,
    treeSize: at.treeSize ?? null,
  };
}

/** By leaf index, those without one last, in the order found. */
export function byLeafIndex(problems: readonly Problem[]): Problem[] {
  return problems
    .map((p, order) => ({ p, order }))
    .sort((a, b) => {
      const x = a.p.leafIndex ?? Number.POSITIVE_INFINITY;
      const y = b.p.leafIndex ?? Number.POSITIVE_INFINITY;
      return x === y ? a.order - b.order : x - y;
    })
    .map(({ p }) => p);
}
