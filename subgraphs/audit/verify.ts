// Verification of the whole audit log (issue #10 item 7), for `npm run audit:verify` and the operators' GraphQL
// query: every leaf hash recomputed from its event, the tree recomputed from the leaves and compared with every stored
// subtree, every checkpoint's signature and root, each checkpoint extending the one before, every witness line
// against the database, and every event accounted for. It names the first event that does not match.
import type { KeyObject } from 'node:crypto';
import { eventLeafHash } from './canonical-event.ts';
import { MemoryTree } from './merkle/tree.ts';
import { checkPruning, PRUNED_ACTION, type PruningRecord } from './retention.ts';
import type { VerificationReader } from './store/verification.ts';
import { checkCheckpoints, localize } from './verify-checkpoints.ts';
import {
  byLeafIndex,
  MAX_LISTED,
  problem,
  type AuditLogVerification,
  type Problem,
} from './verification-report.ts';
import type { WitnessContents } from './witness.ts';

export interface VerifyOptions {
  /** The public keys trusted, by key id. */
  keys: ReadonlyMap<string, KeyObject>;
  witness: WitnessContents;
  /** Leaves read per query. @default 5000 */
  pageSize?: number;
}

export async function verifyAuditLog(
  reader: VerificationReader,
  options: VerifyOptions,
): Promise<AuditLogVerification> {
  const pageSize = options.pageSize ?? 5000;
  const problems: Problem[] = [];
  const checkpoints = await reader.checkpoints();
  const latest = checkpoints[checkpoints.length - 1];
  const treeSize = latest?.treeSize ?? 0;
  const prunedBelow = await signedPruningHorizon(reader, options.keys, problems);

  // Leaves: each against its event. The tree is built from the stored leaf hashes, so that a changed event is one
  // problem here and a leaf rewritten to match it shows up against the subtrees and checkpoints instead.
  const end = Math.max(treeSize, await reader.leafEnd());
  const hashes: Buffer[] = [];
  const eventIds: (string | null)[] = [];
  let pruned = 0;
  for (let from = 0; from < end; from += pageSize) {
    const rows = new Map((await reader.rows(from, from + pageSize)).map((r) => [r.leafIndex, r]));
    for (let i = from; i < Math.min(end, from + pageSize); i += 1) {
      const row = rows.get(i);
      if (!row) {
        problems.push(problem('LEAF_MISSING', `leaf ${i} is missing`, { leafIndex: i }));
        hashes.push(Buffer.alloc(32));
        eventIds.push(null);
        continue;
      }
      const at = { leafIndex: i, eventId: row.eventId };
      hashes.push(row.leafHash);
      eventIds.push(row.eventId);
      if (i >= treeSize)
        problems.push(problem('LEAF_OUTSIDE_CHECKPOINTS', `leaf ${i} is in no checkpoint`, at));
      if (row.event === null) {
        if (i < prunedBelow) pruned += 1;
        else problems.push(problem('EVENT_MISSING', `the event of leaf ${i} is missing`, at));
      } else if (!eventLeafHash(row.event, row.salt).equals(row.leafHash)) {
        problems.push(problem('LEAF_HASH_MISMATCH', `the event of leaf ${i} does not hash to its leaf`, at));
      }
    }
  }
  const tree = new MemoryTree(hashes);
  const nodeMismatches = await checkNodes(reader, tree, treeSize, problems);

  const found = checkCheckpoints(checkpoints, options.witness, tree, options.keys);
  problems.push(...found.problems);
  for (const { problem: p, size } of found.rootProblems) {
    const leafIndex = localize(size, found.trusted, tree, nodeMismatches);
    problems.push({
      ...p,
      treeSize: size,
      leafIndex,
      eventId: leafIndex === null ? null : (eventIds[leafIndex] ?? null),
    });
  }

  let pending = 0;
  for (const e of await reader.unleafedEvents()) {
    if (e.seq > (latest?.seqFloor ?? 0)) pending += 1;
    else
      problems.push(
        problem('EVENT_NOT_IN_TREE', 'an event from before the latest checkpoint is in no leaf', {
          eventId: e.eventId,
        }),
      );
  }

  const sorted = byLeafIndex(problems);
  return {
    ok: problems.length === 0,
    treeSize,
    leaves: hashes.length,
    checkpoints: checkpoints.length,
    witnessLines: options.witness.lines.length,
    uncommittedWitnessLines: found.uncommitted,
    prunedEvents: pruned,
    pendingEvents: pending,
    problemCount: problems.length,
    problems: sorted.slice(0, MAX_LISTED),
    firstMismatch: sorted.find((p) => p.leafIndex !== null || p.eventId !== null) ?? null,
  };
}

/** Every stored subtree against the recomputed tree; answers the leaf ranges of those that differ. */
async function checkNodes(
  reader: VerificationReader,
  tree: MemoryTree,
  treeSize: number,
  problems: Problem[],
): Promise<{ start: number; end: number }[]> {
  const mismatches: { start: number; end: number }[] = [];
  const ends = await reader.nodeLevels();
  for (let level = 1, width = 2; width <= Math.max(treeSize, 1) || ends.has(level); level += 1, width *= 2) {
    const expected = Math.floor(treeSize / width);
    const end = Math.max(expected, ends.get(level) ?? 0);
    const computed = tree.level(level);
    const stored = new Map((await reader.nodes(level, 0, end)).map((n) => [n.index, n.hash]));
    for (let i = 0; i < end; i += 1) {
      const hash = stored.get(i);
      const want = i < expected ? computed[i] : undefined;
      if (hash && want ? hash.equals(want) : !hash && !want) continue;
      mismatches.push({ start: i * width, end: (i + 1) * width });
      problems.push(problem('NODE_MISMATCH', `stored subtree ${level}:${i} does not match its leaves`));
    }
  }
  return mismatches;
}

/** One past the highest leaf a validly signed AUDIT_PRUNED record says was pruned. */
async function signedPruningHorizon(
  reader: VerificationReader,
  keys: ReadonlyMap<string, KeyObject>,
  problems: Problem[],
): Promise<number> {
  let below = 0;
  for (const { eventId, payload } of await reader.pruningRecords()) {
    const record = parseRecord(payload);
    if (record && checkPruning(keys, record) === 'valid') below = Math.max(below, record.belowLeafIndex);
    else
      problems.push(
        problem('PRUNING_SIGNATURE_INVALID', `an ${PRUNED_ACTION} event is not signed`, { eventId }),
      );
  }
  return below;
}

function parseRecord(payload: string | null): PruningRecord | null {
  try {
    const r = JSON.parse(payload ?? 'null') as Partial<PruningRecord> | null;
    const ok =
      r !== null &&
      typeof r.horizon === 'string' &&
      Number.isSafeInteger(r.belowLeafIndex) &&
      Number.isSafeInteger(r.count) &&
      typeof r.keyId === 'string' &&
      typeof r.signature === 'string';
    return ok ? (r as PruningRecord) : null;
  } catch {
    return null;
  }
}
