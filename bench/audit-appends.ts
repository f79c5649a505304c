// Sustained audit appends on PostgreSQL (issue #10, item 5): many concurrent "requests", each appending a request's
// worth of events and waiting until they are durable, in a loop for a fixed time — through the group committer the
// subgraphs use (auditlog/group-commit.ts), and for contrast with one statement (one commit) per event.
import { randomUUID } from 'node:crypto';
import { appendAuditEvent } from '../auditlog/append.ts';
import type { AuditEvent } from '../auditlog/event.ts';
import { createGroupCommitter } from '../auditlog/group-commit.ts';
import { DEMO_DOCUMENTS, DEMO_ORGS, DEMO_PERSONS } from '../common/demo-identities.ts';
import { openDatabase, type Queryable } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { createScratchDatabase } from '../db/scratch-database.ts';
import { SUBGRAPHS } from '../subgraphs/index.ts';
import { sampleCpu, otherProcessesShare, waitForQuiet } from './machine.ts';
import { BUSY_NEIGHBOURS, median } from './report.ts';

export type AppendMode = 'group' | 'single';
export const APPEND_MODES: readonly AppendMode[] = ['group', 'single'];

export interface AppendSettings {
  databaseUrl: string;
  rounds: number;
  seconds: number;
  /** Concurrent appenders, as concurrent requests would be. */
  appenders: number;
  /** Events each appender appends at a time: one request's reads. */
  eventsPerRequest: number;
  quietWaitSeconds: number;
  log: (line: string) => void;
}

export interface AppendRun {
  events: number;
  requests: number;
  statements: number;
  elapsedSeconds: number;
  /** How long a request waited for its events to be durable, in ms. */
  p50: number;
  p99: number;
  /** CPU time of this process per event, in µs (the database server's is not in it). */
  cpuMicrosPerEvent: number;
  /** Share of the machine's CPU taken by other processes (the database server among them). */
  otherCpu: number | undefined;
}

export interface AppendRound {
  round: number;
  order: AppendMode[];
  runs: Record<AppendMode, AppendRun>;
}

export interface AppendResult {
  rounds: AppendRound[];
  /** Rows in audit.event after the runs, and the events acknowledged as stored: they must be equal. */
  stored: number;
  acknowledged: number;
}

/** A PERSONAL_DATA_READ as the documents subgraph stores it: an administrator reading a citizen's document. */
function readEvent(requestId: string): AuditEvent {
  return {
    actorType: 'PERSON',
    actorId: DEMO_PERSONS.kari.pid,
    onBehalfOf: DEMO_ORGS.fjordvik.orgnr,
    orgnr: DEMO_ORGS.fjordvik.orgnr,
    service: 'documents',
    action: 'PERSONAL_DATA_READ',
    dataSubject: DEMO_PERSONS.ola.pid,
    legalBasis: 'personvernforordningen art. 6 nr. 1 bokstav e (bench)',
    requestId,
    payload: {
      resourceType: 'Document',
      resourceId: DEMO_DOCUMENTS.kindergartenDecision,
      fields: ['title', 'value'],
    },
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function run(db: Queryable, mode: AppendMode, settings: AppendSettings, seconds: number) {
  let statements = 0;
  const counted: Queryable = {
    query(text, params) {
      statements += 1;
      return db.query(text, params);
    },
  };
  const appender = createGroupCommitter(counted);
  const appendRequest =
    mode === 'group'
      ? (events: AuditEvent[]) => appender.append(events)
      : // Each event its own statement and commit, as many at once as the pool allows.
        (events: AuditEvent[]) => Promise.all(events.map((e) => appendAuditEvent(counted, e)));
  const latencies: number[] = [];
  const before = sampleCpu();
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: settings.appenders }, async () => {
      while (performance.now() < deadline) {
        const requestId = randomUUID();
        const events = Array.from({ length: settings.eventsPerRequest }, () => readEvent(requestId));
        const sent = performance.now();
        await appendRequest(events);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const elapsedSeconds = (performance.now() - start) / 1000;
  const after = sampleCpu();
  latencies.sort((x, y) => x - y);
  const events = latencies.length * settings.eventsPerRequest;
  return {
    events,
    requests: latencies.length,
    statements,
    elapsedSeconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    cpuMicrosPerEvent: ((after.own - before.own) * 1e6) / Math.max(1, events),
    otherCpu: otherProcessesShare(before, after),
  };
}

export const eventsPerSecond = (r: AppendRun) => r.events / r.elapsedSeconds;

export async function benchAppends(settings: AppendSettings): Promise<AppendResult> {
  const scratch = await createScratchDatabase(settings.databaseUrl, 'fiks_bench');
  try {
    const db = await openDatabase(scratch.target);
    try {
      await migrate(db, 'audit', SUBGRAPHS.audit.migrations);
      let acknowledged = 0;
      const timed = async (mode: AppendMode, seconds: number) => {
        const result = await run(db, mode, settings, seconds);
        acknowledged += result.events;
        return result;
      };
      // Lets the pool open its connections and the server cache its plans before anything is measured.
      for (const mode of APPEND_MODES) await timed(mode, 1);
      const rounds: AppendRound[] = [];
      for (let round = 1; round <= settings.rounds; round++) {
        const waited = await waitForQuiet(BUSY_NEIGHBOURS, settings.quietWaitSeconds);
        if (waited === false)
          settings.log(`machine still busy after ${settings.quietWaitSeconds} s; measuring anyway`);
        const order: AppendMode[] = round % 2 === 1 ? ['group', 'single'] : ['single', 'group'];
        const runs = {} as Record<AppendMode, AppendRun>;
        for (const mode of order) runs[mode] = await timed(mode, settings.seconds);
        rounds.push({ round, order, runs });
        settings.log(
          `appends round ${round}/${settings.rounds}: group ${eventsPerSecond(runs.group).toFixed(0)} events/s ` +
            `(${(runs.group.events / runs.group.statements).toFixed(1)} events a statement), ` +
            `one per event ${eventsPerSecond(runs.single).toFixed(0)} events/s`,
        );
      }
      const rows = await db.query<{ n: number }>('select count(*)::int as n from audit.event');
      return { rounds, stored: rows[0]!.n, acknowledged };
    } finally {
      await db.close();
    }
  } finally {
    await scratch.drop();
  }
}

/** Median of the rounds for one mode. */
export function medianOf(rounds: readonly AppendRound[], mode: AppendMode, pick: (r: AppendRun) => number) {
  return median(rounds.map((round) => pick(round.runs[mode])));
}
