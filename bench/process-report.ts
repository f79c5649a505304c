// The results of `npm run bench -- --processes`: besides throughput and latency, what each serving process (the
// documents subgraph for a, the bare gateway for b, ours for c) spent in CPU per request and held in memory.
import type { Measurement, ServerUsage } from './load.ts';
import { machineFacts } from './machine.ts';
import {
  GOAL_RATIO,
  badResponses,
  databaseDescription,
  median,
  ratios,
  resultsMarkdown,
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
    `Method: ${options.connections} connections, POST; each target primed ${options.primeSeconds} s, then ${options.rounds} rounds, each measuring every target in turn (${options.warmupSeconds} s warm-up, ${options.seconds} s measured; b and c swap places every other round); every subgraph, each gateway and this bench (the load generator, in a worker thread) in processes of their own; database: ${databaseDescription(options)}.`,
    '',
    '| Round | Order | a req/s | b req/s | c req/s | c/b req/s | b CPU µs/req | c CPU µs/req | c/b CPU/req |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.rounds.map((round) => {
      const m = round.measurements;
      return `| ${[
        round.round,
        round.order.join(' '),
        m.a.requestsPerSecond.toFixed(0),
        m.b.requestsPerSecond.toFixed(0),
        m.c.requestsPerSecond.toFixed(0),
        (m.c.requestsPerSecond / m.b.requestsPerSecond).toFixed(2),
        server(m.b).cpuMicrosPerRequest.toFixed(0),
        server(m.c).cpuMicrosPerRequest.toFixed(0),
        cpuRatio(round).toFixed(2),
      ].join(' | ')} |`;
    }),
    '',
    '| Target | Requests/s (median) | p50 (ms, median) | p99 (ms, median) | Process CPU µs/request (median) | Process peak RSS in runs (MiB) | Process VmHWM (MiB) | Completed | Non-2xx | Other body | Errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.targets.map((target) => {
      const runs = report.rounds.map((round) => round.measurements[target.key]);
      const sum = (pick: (m: Measurement) => number) => runs.reduce((total, m) => total + pick(m), 0);
      const memory = peakMemory(report, target.key);
      return `| ${[
        `${target.key}. ${target.label}`,
        median(runs.map((m) => m.requestsPerSecond)).toFixed(0),
        median(runs.map((m) => m.p50)),
        median(runs.map((m) => m.p99)),
        median(runs.map((m) => server(m).cpuMicrosPerRequest)).toFixed(0),
        MiB(memory.runs),
        MiB(memory.highWater),
        sum((m) => m.completed),
        sum((m) => m.non2xx),
        sum((m) => m.mismatches),
        sum((m) => m.errors),
      ].join(' | ')} |`;
    }),
    '',
  ];
  const r = ratios(report);
  const cpu = report.rounds.map(cpuRatio);
  const ours = peakMemory(report, 'c');
  const bare = peakMemory(report, 'b');
  lines.push(
    `Throughput c/b (our gateway / bare gateway), median of the rounds: ${r.ourToBare.toFixed(2)} (goal >= ${GOAL_RATIO.toFixed(2)}: ${r.ourToBare >= GOAL_RATIO ? 'met' : 'NOT met'}); rounds ranged ${r.ourToBareMin.toFixed(2)}–${r.ourToBareMax.toFixed(2)}, ${r.roundsAtGoal} of ${report.rounds.length} at or above the goal`,
    `Gateway CPU per request c/b, median of the rounds: ${median(cpu).toFixed(2)}; rounds ranged ${Math.min(...cpu).toFixed(2)}–${Math.max(...cpu).toFixed(2)}`,
    `Throughput b/a (bare gateway / documents subgraph alone), median of the rounds: ${r.bareToSubgraph.toFixed(2)}`,
    `Our gateway process's peak RSS: ${MiB(ours.runs)} MiB in the measured runs, ${MiB(ours.highWater)} MiB since it started (goal <= ${MiB(GATEWAY_RSS_GOAL_BYTES)} MiB: ${ours.highWater <= GATEWAY_RSS_GOAL_BYTES ? 'met' : 'NOT met'}); the bare gateway's: ${MiB(bare.runs)} MiB and ${MiB(bare.highWater)} MiB`,
  );
  const bad = badResponses(report);
  if (bad > 0) {
    lines.push('', `WARNING: ${bad} responses were not the verified answer; these numbers are not valid.`);
  }
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
warm-ups included. The goal for our gateway is at most ${MiB(GATEWAY_RSS_GOAL_BYTES)} MiB; a bare
\`@apollo/gateway\` stays around 100–170 MiB on such loads. The machine's cores are shared by all these processes
and PostgreSQL, so the bench does not judge whether other processes were quiet during a run (they are its own);
it waits before each round, as \`npm run bench\` does, for the machine to quieten. Latency percentiles have a
resolution of 1 ms.
`,
  );
}
