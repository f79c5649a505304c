// The checkpointer: takes the committed events that are in no leaf yet, in seq order, gives them the next leaf
// indices, stores their leaf hashes and the subtrees they complete, and a signed checkpoint of the grown tree —
// written to the witness before the database commits it. Events are appended by many processes at once, so seq
// commit order is not seq order; the checkpointer waits for the open appends to settle (TreeWriter.settledSeq) and
// then owns the order itself, under an advisory lock, one process at a time, however many replicas run.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { eventLeafHash } from './canonical-event.ts';
import { checkCheckpoint, signCheckpoint, trustedKeys, type SignedCheckpoint } from './checkpoint.ts';
import { foldRight } from './merkle/proofs.ts';
import { completeSubtrees } from './merkle/ranges.ts';
import { extendTree } from './merkle/tree.ts';
import type { AuditKey } from './signing-key.ts';
import { TreeStore, TreeWriter } from './store/tree.ts';
import { appendWitness } from './witness.ts';

export interface CheckpointOptions {
  key: AuditKey;
  witnessFile: string;
  /** Most events one checkpoint takes in; a larger backlog takes several. @default 10000 */
  maxEvents?: number;
  /** How long to wait for open appends before trying again at the next interval. @default 200 */
  lockTimeoutMs?: number;
  now?: () => Date;
}

/** The checkpointer will not extend the tree it found; `code` says why (logged, never the tree's content). */
export class CheckpointRefused extends Error {
  override name = 'CheckpointRefused';
  constructor(
    readonly code: 'AUDIT_CHECKPOINT_FORGED' | 'AUDIT_TREE_MISMATCH',
    message: string,
  ) {
    super(message);
  }
}

/** Makes one checkpoint of the events that arrived since the last; null when none did (or appends kept the lock). */
export async function runCheckpoint(db: Db, options: CheckpointOptions): Promise<SignedCheckpoint | null> {
  const maxEvents = options.maxEvents ?? 10_000;
  const head = await new TreeStore(db).latestCheckpoint();
  // Cheap, and enough to know nothing arrived: every event a later checkpoint could take has seq > seqFloor.
  if ((await new TreeStore(db).maxSeq()) <= (head?.seqFloor ?? 0)) return null;
  let upTo: number;
  try {
    upTo = await db.transaction((tx) => new TreeWriter(tx).settledSeq(options.lockTimeoutMs ?? 200));
  } catch (error) {
    // 55P03 lock_not_available: a long transaction is appending; its events go into the next checkpoint.
    if ((error as { code?: unknown }).code === '55P03') return null;
    throw error;
  }
  const made = await db.transaction(async (tx) => {
    const tree = new TreeWriter(tx);
    await tree.lock();
    const latest = await tree.latestCheckpoint();
    const size = latest?.treeSize ?? 0;
    const events = await tree.eventsAfter(latest?.seqFloor ?? 0, upTo, maxEvents);
    if (events.length === 0) return null;
    const frontierRefs = completeSubtrees(0, size);
    const frontier = frontierRefs.map(await tree.lookup(frontierRefs));
    // Never sign on top of a head this key did not sign, or of stored subtrees that do not give its root: that
    // would vouch for whatever was put there.
    if (latest && checkCheckpoint(trustedKeys(options.key), latest) !== 'valid')
      throw new CheckpointRefused(
        'AUDIT_CHECKPOINT_FORGED',
        'the latest checkpoint is not signed by this key',
      );
    if (latest && !foldRight(frontier).equals(Buffer.from(latest.rootHash, 'hex')))
      throw new CheckpointRefused(
        'AUDIT_TREE_MISMATCH',
        'the stored tree does not give the latest checkpoint',
      );
    const leaves = events.map((event) => {
      const salt = randomBytes(32);
      return { eventId: event.id, salt, hash: eventLeafHash(event, salt) };
    });
    const grown = extendTree(
      size,
      frontier,
      leaves.map((l) => l.hash),
    );
    await tree.insertLeaves(size, leaves);
    await tree.insertNodes(grown.nodes);
    const signed = signCheckpoint(options.key, {
      treeSize: grown.size,
      rootHash: grown.root.toString('hex'),
      issuedAt: (options.now?.() ?? new Date()).toISOString(),
    });
    // Every event up to upTo is settled, so all of them are in now unless the batch was full.
    const seqFloor = events.length < maxEvents ? upTo : events[events.length - 1]!.seq;
    await tree.insertCheckpoint(signed, seqFloor);
    await appendWitness(options.witnessFile, { ...signed, phase: 'prepared' });
    return signed;
  });
  if (made) await appendWitness(options.witnessFile, { ...made, phase: 'committed' });
  return made;
}
