// Turns the measurements into the table the bench prints, and into bench/RESULTS.md.
import { format, resolveConfig } from 'prettier';
import type { BenchOptions } from './options.ts';
import type { Measurement } from './load.ts';
import { machineFacts } from './machine.ts';
import type { Target } from './targets.ts';

export const RESULTS_FILE = new URL('./RESULTS.md', import.meta.url);

/** Our gateway's throughput must be at least this share of the bare gateway's. */
export const GOAL_RATIO = 0.9;
/** Above this share of the machine's CPU taken by other processes during a run, its numbers are suspect. */
const BUSY_NEIGHBOURS = 0.1;

export interface BenchReport {
  date: Date;
  options: BenchOptions;
  rows: { target: Target; measurement: Measurement }[];
  /** Resident set size of the whole process after the runs, in bytes. */
  rssBytes: number;
}

function rps(report: BenchReport, key: Target['key']): number {
  return report.rows.find((row) => row.target.key === key)?.measurement.requestsPerSecond ?? Number.NaN;
}

export function ratios(report: BenchReport): { ourToBare: number; bareToSubgraph: number } {
  return {
    ourToBare: rps(report, 'c') / rps(report, 'b'),
    bareToSubgraph: rps(report, 'b') / rps(report, 'a'),
  };
}

/** Any response during the runs that was not the verified 2xx answer. */
export function badResponses(report: BenchReport): number {
  return report.rows.reduce((sum, { measurement: m }) => sum + m.non2xx + m.mismatches + m.errors, 0);
}

/** The table, the ratios and the memory: what is printed, and the core of RESULTS.md. */
export function renderResults(report: BenchReport): string {
  const { options } = report;
  const lines = [
    `Machine: ${machineFacts()}`,
    `Each target: ${options.connections} connections, POST; all primed ${options.warmupSeconds} s, then each in turn ${options.warmupSeconds} s warm-up and ${options.seconds} s measured; load generator in a worker thread of the same process.`,
    '',
    '| Target | Requests/s (mean) | p50 (ms) | p99 (ms) | Completed | Non-2xx | Other body | Errors | CPU taken by other processes |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.rows
      .map(({ target, measurement: m }) =>
        [
          `${target.key}. ${target.label}`,
          m.requestsPerSecond.toFixed(0),
          m.p50,
          m.p99,
          m.completed,
          m.non2xx,
          m.mismatches,
          m.errors,
          m.otherCpu === undefined ? 'n/a' : `${(m.otherCpu * 100).toFixed(0)} %`,
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
    '',
  ];
  const { ourToBare, bareToSubgraph } = ratios(report);
  const met = ourToBare >= GOAL_RATIO ? 'met' : 'NOT met';
  lines.push(
    `Throughput c/b (our gateway / bare gateway): ${ourToBare.toFixed(2)} (goal >= ${GOAL_RATIO.toFixed(2)}: ${met})`,
    `Throughput b/a (bare gateway / documents subgraph alone): ${bareToSubgraph.toFixed(2)}`,
    `Process memory after the runs: rss ${(report.rssBytes / 2 ** 20).toFixed(0)} MiB`,
  );
  const bad = badResponses(report);
  if (bad > 0) {
    lines.push('', `WARNING: ${bad} responses were not the verified answer; these numbers are not valid.`);
  }
  if (report.rows.some(({ measurement: m }) => (m.otherCpu ?? 0) > BUSY_NEIGHBOURS)) {
    lines.push(
      '',
      `WARNING: other processes took more than ${BUSY_NEIGHBOURS * 100} % of the machine's CPU during a run; run again on a quiet machine.`,
    );
  }
  return lines.join('\n');
}

/** RESULTS.md: the command, the date, the results and how to read them, formatted as `prettier --check` wants. */
export async function renderMarkdown(report: BenchReport): Promise<string> {
  const results = renderResults(report)
    .split('\n')
    .map((line) => (line.startsWith('|') || line === '' ? line : `- ${line}`))
    .join('\n');
  const markdown = `# Bench results

- Command: \`${report.options.command}\`
- Date: ${report.date.toISOString()}
${results}

## How to read this

One process runs everything: the four subgraphs on in-memory PGlite with the demo data, our gateway, a bare
\`@apollo/gateway\` (same supergraph, same subgraphs, Node's fetch, a static caller token per subgraph, served by
fastify through \`@as-integrations/fastify\`) and the load generator. Each target gets the same request in turn:
**a** is the documents subgraph's share of the query called directly, **b** and **c** are the whole
two-subgraph query \`document(id) { title organization { name } }\` (a document exposed to the demo integration,
and the name of the organisation holding it) through the bare gateway and through ours. Everything shares the machine's cores and the servers share one event loop, so the absolute numbers are low
and say little about production; the ratios are what matter. **c/b** is the cost of what our gateway adds
(authentication of the demo integration — Maskinporten token signature and claims, IntegrasjonId and
IntegrasjonPassord against the store, organisation binding — request ids, caller tokens, error shaping); the goal is c/b >= ${GOAL_RATIO.toFixed(2)},
our throughput within 10 % of a bare \`@apollo/gateway\`. **b/a** is the cost of federation itself (query planning,
two subgraph calls instead of one). Before measuring, each target is checked to answer 200 with exactly the
expected data and no errors; during the runs every response must be a 2xx with that same body, and any other is
counted (Non-2xx, Other body, Errors). All targets are primed before any is measured, because both gateways run
the same \`@apollo/gateway\` code and whichever went first would otherwise pay for warming it. A single run is
noisy: on this 2-core machine repeated runs moved c/b by roughly 10 % either way, and far more while other
processes were busy (last column; a run where they took over 10 % of the CPU is flagged). Read a c/b near the goal
as inconclusive and run again. Latency percentiles have a resolution of 1 ms.
`;
  const config = await resolveConfig(RESULTS_FILE);
  return format(markdown, { ...config, parser: 'markdown' });
}
