// The results of `npm run bench -- --processes`: besides throughput and latency, what each serving process (the
// documents subgraph for a, the bare gateway for b, ours for c) spent in CPU per request and held in memory.
import type { Measurement, ServerUsage } from './load.ts';
import { machineFacts } from './machine.ts';
import {
  badResponsesWarning,
  databaseDescription,
  methodLine,
  roundTable,
  median,
  ratios,
  resultsMarkdown,
  targetTable,
  throughputLine,
  type BenchReport,
  type Round,
} from './report.ts';
import type { TargetKey } from './targets.ts';

export const PROCESSES_RESULTS_FILE = new URL('./RESULTS-processes.md', import.meta.url);

/** Issue #13: our gateway process's peak resident memory under the bench's load should stay at or below this. */
export const GATEWAY_RSS_GOAL_BYTES = 250 * 2 ** 20;

const MiB = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

function server(measurement: Measurement): ServerUsage {
  if (!measurement.server) throw new Error('a run without its serving process measured');
  return measurement.server;
}

/** Our gateway's CPU per request over the bare gateway's, within one round. */
export function cpuRatio(round: Round): number {
  return server(round.measurements.c).cpuMicrosPerRequest / server(round.measurements.b).cpuMicrosPerRequest;
}

/** The highest resident memory target `key`'s process reached: sampled during the measured runs, and the
 * kernel's high-water mark since it started (priming and warm-ups included). */
export function peakMemory(report: BenchReport, key: TargetKey): { runs: number; highWater: number } {
  const usages = report.rounds.map((round) => server(round.measurements[key]));
  return {
    runs: Math.max(...usages.map((u) => u.rssPeakBytes)),
    highWater: Math.max(...usages.map((u) => u.rssHighWaterBytes)),
  };
}

export function renderProcessesResults(report: BenchReport): string {
  const { options } = report;
  const lines = [
    `Machine: ${machineFacts()}`,
    methodLine(
      options,
      'every subgraph, each gateway and this bench (the load generator, in a worker thread) in processes of their own',
    ),
    '',
    ...roundTable(report, ['b CPU µs/req', 'c CPU µs/req', 'c/b CPU/req'], (round) => [
      server(round.measurements.b).cpuMicrosPerRequest.toFixed(0),
      server(round.measurements.c).cpuMicrosPerRequest.toFixed(0),
      cpuRatio(round).toFixed(2),
    ]),
    '',
    ...targetTable(
      report,
      [
        'Process CPU µs/request (median)',
        'Process VmHWM after start (MiB)',
        'Process peak RSS in runs (MiB)',
        'Process VmHWM at end (MiB)',
      ],
      (runs, key) => {
        const memory = peakMemory(report, key);
        return [
          median(runs.map((m) => server(m).cpuMicrosPerRequest)).toFixed(0),
          report.startHighWaterBytes ? MiB(report.startHighWaterBytes[key]) : 'n/a',
          MiB(memory.runs),
          MiB(memory.highWater),
        ];
      },
    ),
    '',
  ];
  const r = ratios(report);
  const cpu = report.rounds.map(cpuRatio);
  const ours = peakMemory(report, 'c');
  const bare = peakMemory(report, 'b');
  lines.push(
    throughputLine(report),
    `Gateway CPU per request c/b, median of the rounds: ${median(cpu).toFixed(2)}; rounds ranged ${Math.min(...cpu).toFixed(2)}–${Math.max(...cpu).toFixed(2)}`,
    `Throughput b/a (bare gateway / documents subgraph alone), median of the rounds: ${r.bareToSubgraph.toFixed(2)}`,
    `Our gateway process's peak RSS: ${MiB(ours.runs)} MiB in the measured runs, ${MiB(ours.highWater)} MiB since it started (goal <= ${MiB(GATEWAY_RSS_GOAL_BYTES)} MiB: ${ours.highWater <= GATEWAY_RSS_GOAL_BYTES ? 'met' : 'NOT met'}); the bare gateway's: ${MiB(bare.runs)} MiB and ${MiB(bare.highWater)} MiB`,
  );
  lines.push(...badResponsesWarning(report));
  return lines.join('\n');
}

export async function renderProcessesMarkdown(report: BenchReport): Promise<string> {
  return resultsMarkdown(
    report,
    renderProcessesResults(report),
    `The platform runs as production runs it: each of the four subgraphs in a Node process of its own
(\`bin/subgraph.ts\`), on a scratch PostgreSQL database (${databaseDescription(report.options)}), our gateway in
another (\`bin/gateway.ts\`), the bare \`@apollo/gateway\` in another (\`bench/bare-gateway-process.ts\`: the same
supergraph and subgraphs, Node's fetch, one static caller token per subgraph, served by fastify), and the load
generator in the bench's own process (in a worker thread; that process also keeps the local Maskinporten stand-in,
asked for one token before each run of c). The targets, request, rounds and checks are those of \`npm run bench\`
(see RESULTS.md): **a** is the documents subgraph's share of the query called directly, **b** and **c** the whole
two-subgraph query through the bare gateway and through ours.

For each measured run the bench also reads, from Linux's \`/proc\`, what the process serving the target spent:
the documents subgraph's for a, the bare gateway's for b, ours for c. **Process CPU µs/request** is that process's
user and system CPU time (all its threads) over the run, divided by the requests completed in it: the gateway's
own work per request, apart from the subgraphs', the database's and the load generator's. **c/b CPU/req** is ours
over the bare gateway's within each round. **Peak RSS in runs** is the highest resident set sampled (every
100 ms) during the measured runs; **VmHWM** is the kernel's high-water mark since the process started, priming and
warm-ups included, and **VmHWM after start** the same mark read once every process had started, before any
request: what start-up alone took (loading and compiling the code through tsx, as \`npm run start:gateway\` runs
it, building the schema). The goal for our gateway is at most ${MiB(GATEWAY_RSS_GOAL_BYTES)} MiB; a bare
\`@apollo/gateway\` stays around 100–170 MiB on such loads. The machine's cores are shared by all these processes
and PostgreSQL, so the bench does not judge whether other processes were quiet during a run (they are its own);
it waits before each round, as \`npm run bench\` does, for the machine to quieten. Latency percentiles have a
resolution of 1 ms.
`,
  );
}
