// The audit subgraph's background work: a checkpoint every AUDIT_CHECKPOINT_INTERVAL_MS while events arrive, and,
// when AUDIT_RETENTION_DAYS is set, pruning at most once an hour. Each round runs after the previous one finished,
// so rounds never overlap in a process; across processes the advisory lock serialises them. Tests call
// runCheckpoint and pruneAuditLog directly instead of waiting on the timer.
//
// While the last round failed (the witness file cannot be written, the signing key cannot be read, the stored tree
// does not give the last checkpoint), the subgraph's /readyz says `audit-checkpoints: degraded`: events are still
// recorded, but no checkpoint vouches for them, and an operator must not learn that only from the log.
import type { AuditLogSettings } from '../../common/config.ts';
import type { Logger } from '../../common/logger.ts';
import { DEGRADED } from '../../common/readiness.ts';
import type { Db } from '../../db/database.ts';
import type { BackgroundTask } from '../runtime/types.ts';
import { runCheckpoint } from './checkpointer.ts';
import { horizonOf, pruneAuditLog } from './retention.ts';
import { auditKeyOf } from './signing-key.ts';

const PRUNE_EVERY_MS = 3_600_000;

export interface AuditBackground extends BackgroundTask {
  /** Resolves once the round in flight, if any, has finished and the next is scheduled. */
  idle(): Promise<void>;
}

export function startAuditBackground(db: Db, settings: AuditLogSettings, logger: Logger): AuditBackground {
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  let stopped = false;
  let prunedAt = 0;
  let lastRoundFailed = false;

  async function work(): Promise<void> {
    const key = await auditKeyOf(settings);
    await runCheckpoint(db, { key, witnessFile: settings.witnessFile });
    if (settings.retentionDays > 0 && Date.now() - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = Date.now();
      const record = await pruneAuditLog(db, { key, horizon: horizonOf(settings.retentionDays, new Date()) });
      if (record) logger.info({ pruned: record.count, horizon: record.horizon }, 'audit log pruned');
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      round = work()
        .then(() => {
          lastRoundFailed = false;
        })
        .catch((error: unknown) => {
          lastRoundFailed = true;
          // Only a code: a database error's detail can quote a row. The next round tries again.
          const code = (error as { code?: unknown } | null)?.code;
          logger.error(
            { auditError: typeof code === 'string' ? code : 'unknown' },
            'audit checkpoint failed',
          );
        })
        .finally(schedule);
    }, settings.checkpointIntervalMs);
  }

  schedule();
  return {
    idle: () => round,
    readiness: [
      { name: 'audit-checkpoints', check: () => Promise.resolve(lastRoundFailed ? DEGRADED : undefined) },
    ],
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
