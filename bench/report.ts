// Turns the measurements into the table the bench prints, and into bench/RESULTS.md.
import { format, resolveConfig } from 'prettier';
import type { BenchOptions } from './options.ts';
import type { Measurement } from './load.ts';
import { machineFacts } from './machine.ts';
import type { Target, TargetKey } from './targets.ts';

export const RESULTS_FILE = new URL('./RESULTS.md', import.meta.url);
/** Where a run on PostgreSQL (BENCH_DATABASE_URL) writes its results: beside, not over, the PGlite ones. */
export const POSTGRES_RESULTS_FILE = new URL('./RESULTS-postgres.md', import.meta.url);

/** The database a run used, in words, without credentials. */
export function databaseDescription(options: BenchOptions): string {
  if (!options.databaseUrl) return 'in-memory PGlite in this process';
  const url = new URL(options.databaseUrl);
  return `PostgreSQL at ${url.hostname}:${url.port || '5432'} (a scratch database, dropped after the run)`;
}

/** Our gateway's throughput must be at least this share of the bare gateway's. */
export const GOAL_RATIO = 0.9;
/** Above this share of the machine's CPU taken by other processes during a run, its numbers are suspect. */
export const BUSY_NEIGHBOURS = 0.1;

export interface Round {
  /** 1-based. */
  round: number;
  /** The order the targets were measured in. */
  order: TargetKey[];
  measurements: Record<TargetKey, Measurement>;
}

export interface BenchReport {
  date: Date;
  options: BenchOptions;
  targets: Target[];
  rounds: Round[];
  /** Resident set size of the whole process after the runs, in bytes. */
  rssBytes: number;
  /** With `--processes`: each serving process's resident high-water mark once started, before any load. */
  startHighWaterBytes?: Record<TargetKey, number>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The ratios of one round: both targets of a ratio were measured within seconds of each other. */
export function roundRatios(round: Round): { ourToBare: number; bareToSubgraph: number } {
  const rps = (key: TargetKey) => round.measurements[key].requestsPerSecond;
  return { ourToBare: rps('c') / rps('b'), bareToSubgraph: rps('b') / rps('a') };
}

/** The most CPU other processes took during any run of the round; undefined if unknown. */
function busiest(round: Round): number | undefined {
  const others = Object.values(round.measurements).map((m) => m.otherCpu);
  return others.some((x) => x === undefined) ? undefined : Math.max(...others.map((x) => x ?? 0));
}

/** A round none of whose runs shared the machine with busy neighbours (as far as can be told). */
export function isQuiet(round: Round): boolean {
  return (busiest(round) ?? 0) <= BUSY_NEIGHBOURS;
}

/** The headline figures: medians over the rounds of each round's own ratio. */
export function ratios(report: BenchReport): {
  ourToBare: number;
  bareToSubgraph: number;
  ourToBareMin: number;
  ourToBareMax: number;
  roundsAtGoal: number;
  /** Median c/b of the quiet rounds only, and how many there were. */
  quiet: { ourToBare: number; rounds: number };
} {
  const perRound = report.rounds.map(roundRatios);
  const ourToBare = perRound.map((r) => r.ourToBare);
  const quiet = report.rounds.filter(isQuiet).map((round) => roundRatios(round).ourToBare);
  return {
    ourToBare: median(ourToBare),
    bareToSubgraph: median(perRound.map((r) => r.bareToSubgraph)),
    ourToBareMin: Math.min(...ourToBare),
    ourToBareMax: Math.max(...ourToBare),
    roundsAtGoal: ourToBare.filter((r) => r >= GOAL_RATIO).length,
    quiet: { ourToBare: median(quiet), rounds: quiet.length },
  };
}

function measurements(report: BenchReport): Measurement[] {
  return report.rounds.flatMap((round) => Object.values(round.measurements));
}

/** Any response during the measured runs that was not the verified 2xx answer. */
export function badResponses(report: BenchReport): number {
  return measurements(report).reduce((sum, m) => sum + m.non2xx + m.mismatches + m.errors, 0);
}

/** One line per round while the bench runs. */
export function describeRound(round: Round): string {
  const { ourToBare, bareToSubgraph } = roundRatios(round);
  const rps = (key: TargetKey) => `${key} ${round.measurements[key].requestsPerSecond.toFixed(0)}/s`;
  return `${rps('a')}, ${rps('b')}, ${rps('c')}; c/b ${ourToBare.toFixed(2)}, b/a ${bareToSubgraph.toFixed(2)}`;
}

/** How the runs were made; `where` says where the servers and the load generator ran. */
export function methodLine(options: BenchOptions, where: string): string {
  return `Method: ${options.connections} connections, POST; each target primed ${options.primeSeconds} s, then ${options.rounds} rounds, each measuring every target in turn (${options.warmupSeconds} s warm-up, ${options.seconds} s measured; b and c swap places every other round); ${where}; database: ${databaseDescription(options)}.`;
}

/** The table of one row per round: every target's throughput, the round's ratios, and the columns `more` gives. */
export function roundTable(
  report: BenchReport,
  headers: string[],
  more: (round: Round) => (string | number)[],
): string[] {
  return [
    `| ${['Round', 'Order', 'a req/s', 'b req/s', 'c req/s', 'c/b', 'b/a', ...headers].join(' | ')} |`,
    `| ---: | --- | ${Array.from({ length: headers.length + 5 }, () => '---:').join(' | ')} |`,
    ...report.rounds.map((round) => {
      const { ourToBare, bareToSubgraph } = roundRatios(round);
      const m = round.measurements;
      return `| ${[
        round.round,
        round.order.join(' '),
        m.a.requestsPerSecond.toFixed(0),
        m.b.requestsPerSecond.toFixed(0),
        m.c.requestsPerSecond.toFixed(0),
        ourToBare.toFixed(2),
        bareToSubgraph.toFixed(2),
        ...more(round),
      ].join(' | ')} |`;
    }),
  ];
}

/** The headline: c/b throughput, median of the rounds, against the goal. */
export function throughputLine(report: BenchReport): string {
  const r = ratios(report);
  const met = r.ourToBare >= GOAL_RATIO ? 'met' : 'NOT met';
  return `Throughput c/b (our gateway / bare gateway), median of the rounds: ${r.ourToBare.toFixed(2)} (goal >= ${GOAL_RATIO.toFixed(2)}: ${met}); rounds ranged ${r.ourToBareMin.toFixed(2)}–${r.ourToBareMax.toFixed(2)}, ${r.roundsAtGoal} of ${report.rounds.length} at or above the goal`;
}

/** Lines that say the run is invalid, if any response was not the verified answer. */
export function badResponsesWarning(report: BenchReport): string[] {
  const bad = badResponses(report);
  return bad > 0
    ? ['', `WARNING: ${bad} responses were not the verified answer; these numbers are not valid.`]
    : [];
}

/** The table of one row per target: medians of throughput and latency, the columns `more` gives, and the counts of
 * every response and error. */
export function targetTable(
  report: BenchReport,
  headers: string[],
  more: (runs: Measurement[], key: TargetKey) => (string | number)[],
): string[] {
  return [
    `| ${['Target', 'Requests/s (median)', 'p50 (ms, median)', 'p99 (ms, median)', ...headers, 'Completed', 'Non-2xx', 'Other body', 'Errors'].join(' | ')} |`,
    `| --- | ${Array.from({ length: headers.length + 7 }, () => '---:').join(' | ')} |`,
    ...report.targets.map((target) => {
      const runs = report.rounds.map((round) => round.measurements[target.key]);
      const sum = (pick: (m: Measurement) => number) => runs.reduce((total, m) => total + pick(m), 0);
      return `| ${[
        `${target.key}. ${target.label}`,
        median(runs.map((m) => m.requestsPerSecond)).toFixed(0),
        median(runs.map((m) => m.p50)),
        median(runs.map((m) => m.p99)),
        ...more(runs, target.key),
        sum((m) => m.completed),
        sum((m) => m.non2xx),
        sum((m) => m.mismatches),
        sum((m) => m.errors),
      ].join(' | ')} |`;
    }),
  ];
}

const percent = (share: number | undefined) =>
  share === undefined ? 'n/a' : `${(share * 100).toFixed(0)} %`;

/** The tables, the ratios and the memory: what is printed, and the core of RESULTS.md. */
export function renderResults(report: BenchReport): string {
  const { options } = report;
  const lines = [
    `Machine: ${machineFacts()}`,
    methodLine(options, 'load generator in a worker thread of the same process'),
    '',
    ...roundTable(report, ['CPU taken by other processes (max)'], (round) => [percent(busiest(round))]),
    '',
    ...targetTable(report, ['CPU µs/request (median)'], (runs) => [
      median(runs.map((m) => m.cpuMicrosPerRequest)).toFixed(0),
    ]),
    '',
  ];
  const r = ratios(report);
  lines.push(
    throughputLine(report),
    r.quiet.rounds === report.rounds.length
      ? `Every round was quiet (other processes took at most ${BUSY_NEIGHBOURS * 100} % of the CPU in each run)`
      : `Throughput c/b, median of the ${r.quiet.rounds} quiet rounds (other processes took at most ${BUSY_NEIGHBOURS * 100} % of the CPU in each run): ${r.quiet.rounds === 0 ? 'none' : r.quiet.ourToBare.toFixed(2)}`,
    `Throughput b/a (bare gateway / documents subgraph alone), median of the rounds: ${r.bareToSubgraph.toFixed(2)}`,
    `Process memory after the runs: rss ${(report.rssBytes / 2 ** 20).toFixed(0)} MiB`,
  );
  lines.push(...badResponsesWarning(report));
  if (report.options.databaseUrl) {
    // The PostgreSQL server works for the targets, but in processes of its own: it is counted as "other processes".
    lines.push(
      '',
      "On PostgreSQL the database server's own processes count as other processes, so the CPU column includes the database's work and the quiet-round check does not apply.",
    );
  } else if (!report.rounds.every(isQuiet)) {
    lines.push(
      '',
      `WARNING: other processes took more than ${BUSY_NEIGHBOURS * 100} % of the machine's CPU during some runs; their rounds are suspect.`,
    );
  }
  return lines.join('\n');
}

/** A results file: the command, the date, the results (lines become list items, tables stay) and how to read
 * them, formatted as `prettier --check` wants. */
export async function resultsMarkdown(
  report: BenchReport,
  results: string,
  howToRead: string,
): Promise<string> {
  const items = results
    .split('\n')
    .map((line) => (line.startsWith('|') || line === '' ? line : `- ${line}`))
    .join('\n');
  const markdown = `# Bench results

- Command: \`${report.options.command}\`
- Date: ${report.date.toISOString()}
${items}

## How to read this

${howToRead}`;
  const config = await resolveConfig(RESULTS_FILE);
  return format(markdown, { ...config, parser: 'markdown' });
}

/** RESULTS.md (and RESULTS-postgres.md): the in-process bench. */
export async function renderMarkdown(report: BenchReport): Promise<string> {
  return resultsMarkdown(
    report,
    renderResults(report),
    `One process runs everything: the four subgraphs (database: ${databaseDescription(report.options)}) with the demo data, our gateway, a bare
\`@apollo/gateway\` (same supergraph, same subgraphs, Node's fetch, a static caller token per subgraph, served by
fastify through \`@as-integrations/fastify\`) and the load generator. Each target gets the same request:
**a** is the documents subgraph's share of the query called directly, **b** and **c** are the whole
two-subgraph query \`document(id) { title organization { name } }\` (a document exposed to the demo integration,
and the name of the organisation holding it) through the bare gateway and through ours. Everything shares the
machine's cores and the servers share one event loop, so the absolute numbers are low and say little about
production; the ratios are what matter. **c/b** is the cost of what our gateway adds (authentication of the demo
integration — Maskinporten token signature and claims, IntegrasjonId and IntegrasjonPassord against the store,
organisation binding — request ids, signing a caller token for every subgraph call, error shaping); the goal is
c/b >= ${GOAL_RATIO.toFixed(2)}, our throughput within 10 % of a bare \`@apollo/gateway\`. **b/a** is the cost of
federation itself (query planning, two subgraph calls instead of one). The subgraphs verify the caller token of
every call, the bare gateway's static tokens as much as our gateway's fresh ones, so that verification (about
0.1 ms of CPU a call) is in a, b and c alike and not in c/b.

The targets are measured in rounds: each round measures a, b and c back to back (b and c swap places every other
round), each run after a short warm-up, and each ratio is taken within its round, from runs seconds apart. The
headline is the median of the rounds' ratios; every round is listed, so the spread is in plain view. All targets
are primed once before the first round, because both gateways run the same \`@apollo/gateway\` code and whichever
went first would otherwise pay for warming it. Before each round the bench waits a little for other processes to
quieten; a round in which they took more than 10 % of the CPU during any run is flagged (last column), and the
median of the quiet rounds is given apart. **CPU µs/request** is the CPU time of the whole process (servers,
load generator, thread pool) per completed request: it moves less with the machine's mood than requests/s.
Before measuring, each target is checked to answer 200 with exactly the expected data and no errors; during the
runs every response must be a 2xx with that same body, and any other is counted (Non-2xx, Other body, Errors).
Latency percentiles have a resolution of 1 ms.
`,
  );
}
