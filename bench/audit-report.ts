// Turns `npm run bench:audit`'s measurements into what it prints and into bench/RESULTS-audit.md.
import { format, resolveConfig } from 'prettier';
import {
  APPEND_MODES,
  eventsPerSecond,
  medianOf,
  type AppendResult,
  type AppendRun,
  type AppendSettings,
} from './audit-appends.ts';
import { VARIANTS, type ReadsResult, type Variant } from './audit-reads.ts';
import type { Measurement } from './load.ts';
import { machineFacts } from './machine.ts';
import { median } from './report.ts';

export const AUDIT_RESULTS_FILE = new URL('./RESULTS-audit.md', import.meta.url);

/** Audited reads must keep at least this share of the unaudited throughput. */
export const READS_GOAL = 0.9;
/** Sustained appends on PostgreSQL, events a second, on this 2-core machine. */
export const APPENDS_GOAL = 2000;

export interface AuditReport {
  date: Date;
  command: string;
  /** Settings of the read runs, for the method line. */
  reads: { rounds: number; seconds: number; primeSeconds: number; connections: number };
  readResults: ReadsResult[];
  appendSettings: Omit<AppendSettings, 'databaseUrl' | 'log'> | undefined;
  appends: AppendResult | undefined;
}

const percent = (share: number | undefined) =>
  share === undefined ? 'n/a' : `${(share * 100).toFixed(0)} %`;
const ratioOf = (round: ReadsResult['rounds'][number]) =>
  round.measurements.audited.requestsPerSecond / round.measurements.unaudited.requestsPerSecond;
const bad = (m: Measurement) => m.non2xx + m.mismatches + m.errors;

/** The headline of one database's read runs. */
export function readsSummary(result: ReadsResult) {
  const ratios = result.rounds.map(ratioOf);
  const cpu = (v: Variant) => median(result.rounds.map((r) => r.measurements[v].cpuMicrosPerRequest));
  return {
    ratio: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    atGoal: ratios.filter((r) => r >= READS_GOAL).length,
    cpuPerRequest: { unaudited: cpu('unaudited'), audited: cpu('audited') },
    badResponses: result.rounds.reduce(
      (sum, r) => sum + bad(r.measurements.audited) + bad(r.measurements.unaudited),
      0,
    ),
  };
}

function readsSection(result: ReadsResult): string[] {
  const s = readsSummary(result);
  const met =
    s.ratio >= READS_GOAL ? 'met' : `NOT met (short by ${((READS_GOAL - s.ratio) * 100).toFixed(0)} points)`;
  return [
    `### ${result.database}`,
    '',
    '| Round | Order | unaudited req/s | audited req/s | audited / unaudited | CPU taken by other processes (max) |',
    '| ---: | --- | ---: | ---: | ---: | ---: |',
    ...result.rounds.map((round) => {
      const m = round.measurements;
      const others = Math.max(...VARIANTS.map((v) => m[v].otherCpu ?? 0));
      return `| ${round.round} | ${round.order.join(', ')} | ${m.unaudited.requestsPerSecond.toFixed(0)} | ${m.audited.requestsPerSecond.toFixed(0)} | ${ratioOf(round).toFixed(2)} | ${percent(others)} |`;
    }),
    '',
    '| Platform | Requests/s (median) | CPU µs/request (median) | p50 ms (median) | p99 ms (median) | Completed | Not the verified answer |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...VARIANTS.map((v) => {
      const runs = result.rounds.map((r) => r.measurements[v]);
      return `| ${v} | ${[
        median(runs.map((m) => m.requestsPerSecond)).toFixed(0),
        median(runs.map((m) => m.cpuMicrosPerRequest)).toFixed(0),
        median(runs.map((m) => m.p50)),
        median(runs.map((m) => m.p99)),
        runs.reduce((sum, m) => sum + m.completed, 0),
        runs.reduce((sum, m) => sum + bad(m), 0),
      ].join(' | ')} |`;
    }),
    '',
    `- Throughput audited / unaudited, median of the rounds: **${s.ratio.toFixed(2)}** (aim >= ${READS_GOAL.toFixed(2)}: ${met}); rounds ranged ${s.min.toFixed(2)}–${s.max.toFixed(2)}, ${s.atGoal} of ${result.rounds.length} at or above the aim`,
    `- CPU per request (this process): ${s.cpuPerRequest.audited.toFixed(0)} µs audited, ${s.cpuPerRequest.unaudited.toFixed(0)} µs unaudited (+${(s.cpuPerRequest.audited - s.cpuPerRequest.unaudited).toFixed(0)} µs, ${((s.cpuPerRequest.audited / s.cpuPerRequest.unaudited - 1) * 100).toFixed(0)} %)`,
    `- PERSONAL_DATA_READ events per request (checked on 20 requests before measuring): audited ${result.eventsPerRequest.audited}, unaudited ${result.eventsPerRequest.unaudited}; after the runs the audited platform held ${result.stored.events} such events from ${result.stored.appends} appends (one per request and subgraph), stored by ${result.stored.commits} commits: ${(result.stored.appends / result.stored.commits).toFixed(2)} appends a commit`,
    ...(s.badResponses > 0
      ? [
          '',
          `WARNING: ${s.badResponses} responses were not the verified answer; these numbers are not valid.`,
        ]
      : []),
    '',
  ];
}

function appendsSection(
  result: AppendResult,
  settings: NonNullable<AuditReport['appendSettings']>,
): string[] {
  const statementsPerSecond = (r: AppendRun) => r.statements / r.elapsedSeconds;
  const group = medianOf(result.rounds, 'group', eventsPerSecond);
  const single = medianOf(result.rounds, 'single', eventsPerSecond);
  const met = group >= APPENDS_GOAL ? 'met' : `NOT met (${(APPENDS_GOAL - group).toFixed(0)} events/s short)`;
  const label = {
    group: 'group commit (createGroupCommitter)',
    single: 'one statement per event (appendAuditEvent)',
  };
  return [
    '| Round | Order | group events/s | group statements/s | events per statement | one-per-event events/s | group / one-per-event | CPU taken by other processes (max) |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.rounds.map((round) => {
      const g = round.runs.group;
      const o = round.runs.single;
      return `| ${round.round} | ${round.order.join(', ')} | ${eventsPerSecond(g).toFixed(0)} | ${statementsPerSecond(g).toFixed(0)} | ${(g.events / g.statements).toFixed(1)} | ${eventsPerSecond(o).toFixed(0)} | ${(eventsPerSecond(g) / eventsPerSecond(o)).toFixed(2)} | ${percent(Math.max(g.otherCpu ?? 0, o.otherCpu ?? 0))} |`;
    }),
    '',
    '| Mode | Events/s | Requests/s | Statements/s | Events per statement | Requests per statement | Wait p50 ms | Wait p99 ms | CPU µs/event (this process) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...APPEND_MODES.map((mode) => {
      const m = (pick: (r: AppendRun) => number) => medianOf(result.rounds, mode, pick);
      return `| ${label[mode]} | ${[
        m(eventsPerSecond).toFixed(0),
        m((r) => r.requests / r.elapsedSeconds).toFixed(0),
        m(statementsPerSecond).toFixed(0),
        m((r) => r.events / r.statements).toFixed(1),
        m((r) => r.requests / r.statements).toFixed(1),
        m((r) => r.p50).toFixed(1),
        m((r) => r.p99).toFixed(1),
        m((r) => r.cpuMicrosPerEvent).toFixed(0),
      ].join(' | ')} |`;
    }),
    '',
    `- Sustained appends through the group committer, median of the rounds: **${group.toFixed(0)} events/s** (aim >= ${APPENDS_GOAL}: ${met}), ${(group / single).toFixed(1)} × one statement per event (${single.toFixed(0)} events/s)`,
    `- ${settings.appenders} concurrent appenders, ${settings.eventsPerRequest} events each per request; rows in audit.event after all runs: ${result.stored}, events acknowledged as stored: ${result.acknowledged}${result.stored === result.acknowledged ? ' (equal)' : ' — NOT EQUAL, these numbers are not valid'}`,
    '',
  ];
}

export function renderAuditResults(report: AuditReport): string {
  const r = report.reads;
  const lines = [
    `Machine: ${machineFacts()}; shared with other engineers' test runs while measuring (see the CPU columns).`,
    '',
    '## 1. Audited reads against the same reads without the read audit, through the gateway',
    '',
    `Method: ${r.connections} connections, POST, as Kari (Fjordvik's administrator, ID-porten login); each platform primed ${r.primeSeconds} s, then ${r.rounds} rounds, each measuring both in turn (1 s warm-up, ${r.seconds} s measured; the order swaps every other round).`,
    '',
    ...report.readResults.flatMap(readsSection),
  ];
  if (report.appends && report.appendSettings) {
    const a = report.appendSettings;
    lines.push(
      '## 2. Sustained event appends on PostgreSQL',
      '',
      `Method: ${a.appenders} concurrent appenders, each appending ${a.eventsPerRequest} PERSONAL_DATA_READ events (one request's worth) and waiting until they are stored, in a loop; ${a.rounds} rounds, each running both modes for ${a.seconds} s in turn (the order swaps every other round), after 1 s of each to open the pool's connections.`,
      '',
      ...appendsSection(report.appends, a),
    );
  } else {
    lines.push('## 2. Sustained event appends on PostgreSQL', '', 'Not run: no BENCH_DATABASE_URL.', '');
  }
  return lines.join('\n');
}

export async function renderAuditMarkdown(report: AuditReport, howToRead: string): Promise<string> {
  const markdown = `# Audit bench results (\`npm run bench:audit\`)

- Command: \`${report.command}\`
- Date: ${report.date.toISOString()}

${renderAuditResults(report)}
${howToRead}`;
  const config = await resolveConfig(AUDIT_RESULTS_FILE);
  return format(markdown, { ...config, parser: 'markdown' });
}
