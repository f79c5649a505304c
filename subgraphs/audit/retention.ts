// Retention (issue #10 item 8): the content of events older than AUDIT_RETENTION_DAYS is deleted; their leaves and
// every checkpoint stay, so the tree, and every proof of a younger event, still verify. Pruning takes a prefix of the
// tree: everything below the first leaf whose event is younger than the horizon (an old event that committed late,
// behind a younger one, waits for the next run). Only events already in a checkpoint are pruned, and the pruning is
// itself an event, AUDIT_PRUNED, whose payload is signed: a superuser without the key cannot pass a deletion off as
// pruning (verify.ts accepts a missing event only below a signed horizon).
import { sign, type KeyObject } from 'node:crypto';
import { appendAuditEvent } from '../../auditlog/append.ts';
import type { Db } from '../../db/database.ts';
import { checkSignature, type SignatureCheck } from './checkpoint.ts';
import type { AuditKey } from './signing-key.ts';
import { RetentionWriter } from './store/retention.ts';

export const PRUNED_ACTION = 'AUDIT_PRUNED';
const ORIGIN = 'fiks-audit-pruning/v1';

export interface PruningRecord {
  /** Events that occurred before this instant (RFC 3339) were due. */
  horizon: string;
  /** Every leaf below this index has lost its content. */
  belowLeafIndex: number;
  /** Events whose content this run deleted. */
  count: number;
  keyId: string;
  /** base64url Ed25519 signature of `prunedContent`. */
  signature: string;
}

export function prunedContent(r: Omit<PruningRecord, 'signature'>): string {
  return `${ORIGIN}\n${r.horizon}\n${r.belowLeafIndex}\n${r.count}\n${r.keyId}\n`;
}

export function checkPruning(keys: ReadonlyMap<string, KeyObject>, r: PruningRecord): SignatureCheck {
  return checkSignature(keys, r.keyId, prunedContent(r), r.signature);
}

/** The horizon for a retention of `days` at `now`. */
export function horizonOf(days: number, now: Date): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

/** Deletes the content of checkpointed events that occurred before `horizon`; null when none was due. */
export async function pruneAuditLog(
  db: Db,
  options: { key: AuditKey; horizon: string },
): Promise<PruningRecord | null> {
  return db.transaction(async (tx) => {
    const store = new RetentionWriter(tx);
    await store.lock();
    const below = await store.firstLeafAtOrAfter(options.horizon);
    const count = await store.deleteContentBelow(below);
    if (count === 0) return null;
    const unsigned = { horizon: options.horizon, belowLeafIndex: below, count, keyId: options.key.keyId };
    const record: PruningRecord = {
      ...unsigned,
      signature: sign(null, Buffer.from(prunedContent(unsigned), 'utf8'), options.key.privateKey).toString(
        'base64url',
      ),
    };
    await appendAuditEvent(tx, {
      actorType: 'PLATFORM',
      actorId: 'audit-retention',
      onBehalfOf: null,
      orgnr: null,
      service: 'audit',
      action: PRUNED_ACTION,
      requestId: null,
      payload: { ...record },
    });
    return record;
  });
}
