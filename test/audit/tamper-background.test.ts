// The audit subgraph's background work, driven by the clock (faked here, so nothing waits on a real timer): a
// checkpoint each interval while events arrive, none otherwise; a failed round is logged by code alone and the next
// round catches up; stopping waits for the round in flight.
import { mkdir } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditLogSettings } from '../../common/config.ts';
import { createLogger } from '../../common/logger.ts';
import { checkReadiness } from '../../common/readiness.ts';
import { startAuditBackground } from '../../subgraphs/audit/background.ts';
import { TreeStore } from '../../subgraphs/audit/store/tree.ts';
import { openTestLog, type TestLog } from './tamper-log.ts';

describe('audit / background checkpoints', () => {
  let log: TestLog;
  let settings: AuditLogSettings;
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', name: 'test', destination: { write: (l) => lines.push(l) } });
  const sizes = async () => (await new TreeStore(log.db).checkpoints()).map((c) => c.treeSize);

  beforeAll(async () => {
    log = await openTestLog();
    settings = {
      signingKey: log.key.privateKey.export({ format: 'jwk' }),
      signingKeyFile: '/nonexistent/never-read',
      witnessFile: log.witnessFile,
      checkpointIntervalMs: 2000,
      retentionDays: 0,
    };
  });
  afterEach(() => vi.useRealTimers());
  afterAll(() => log.close());

  it('checkpoints each interval while events arrive, and not before', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const task = startAuditBackground(log.db, settings, logger);
    await log.append();
    await vi.advanceTimersByTimeAsync(1999);
    expect(await sizes()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await task.idle();
    expect(await sizes()).toEqual([1]);
    await log.append();
    await log.append();
    await vi.advanceTimersByTimeAsync(2000);
    await task.idle();
    expect(await sizes()).toEqual([1, 3]);
    // Nothing arrived: the next round signs nothing.
    await vi.advanceTimersByTimeAsync(2000);
    await task.stop();
    expect(await sizes()).toEqual([1, 3]);
  });

  it('logs a failed round by its code alone, and catches up in the next', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await mkdir(`${log.witnessFile}.d`);
    const broken = startAuditBackground(log.db, { ...settings, witnessFile: `${log.witnessFile}.d` }, logger);
    await log.append();
    await vi.advanceTimersByTimeAsync(2000);
    await broken.stop();
    // Its readiness says so (the subgraph's /readyz: test/gateway/readiness.test.ts).
    expect(await checkReadiness(broken.readiness ?? [], 1000, logger)).toEqual({
      status: 'degraded',
      checks: { 'audit-checkpoints': 'degraded' },
    });
    const failure = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.level === 50);
    expect(failure).toMatchObject({ msg: 'audit checkpoint failed', auditError: 'EISDIR' });
    expect(await sizes()).toEqual([1, 3]);
    const task = startAuditBackground(log.db, settings, logger);
    await vi.advanceTimersByTimeAsync(2000);
    await task.stop();
    expect(await sizes()).toEqual([1, 3, 4]);
    expect((await checkReadiness(task.readiness ?? [], 1000, logger)).status).toBe('ready');
    expect((await log.verify()).ok).toBe(true);
  });

  it('prunes what retention says is due, and not again within the hour', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    // A year and a month from now, every event so far is older than a retention of a year.
    vi.setSystemTime(Date.now() + 400 * 86_400_000);
    const task = startAuditBackground(log.db, { ...settings, retentionDays: 365 }, logger);
    await vi.advanceTimersByTimeAsync(2000);
    await task.idle();
    // The next round checkpoints the pruning's own event, which is due too, but an hour has not passed.
    await vi.advanceTimersByTimeAsync(2000);
    await task.stop();
    const pruned = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'audit log pruned');
    expect(pruned).toEqual([expect.objectContaining({ pruned: 4 })]);
    expect(await sizes()).toEqual([1, 3, 4, 5]);
    expect(await log.verify()).toMatchObject({ ok: true, prunedEvents: 4, pendingEvents: 0 });
  });
});
