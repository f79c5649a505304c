// npm run bench [-- --write]: our gateway against a bare @apollo/gateway on the same subgraphs, and the
// documents subgraph alone, all in this one process, in several interleaved rounds. Prints the results; --write
// also writes bench/RESULTS.md. With --processes the same rounds run against separate processes on PostgreSQL
// (bench/process-setup.ts), and also measure each serving process's CPU and memory (bench/RESULTS-processes.md).
// Everything started here is stopped again, and the process exits by itself.
import { writeFileSync } from 'node:fs';
import { createLogger } from '../common/logger.ts';

import { measure, warmUp, type Measurement } from './load.ts';
import { waitForQuiet } from './machine.ts';
import { loadSeconds, parseOptions, type BenchOptions } from './options.ts';
import {
  BUSY_NEIGHBOURS,
  POSTGRES_RESULTS_FILE,
  RESULTS_FILE,
  badResponses,
  describeRound,
  renderMarkdown,
  renderResults,
  type BenchReport,
  type Round,
} from './report.ts';
import {
  PROCESSES_RESULTS_FILE,
  cpuRatio,
  renderProcessesMarkdown,
  renderProcessesResults,
} from './process-report.ts';
import { highWaterOf } from './process-usage.ts';
import { startProcessSetup } from './process-setup.ts';
import { startBenchSetup } from './setup.ts';
import { verifyTarget, type Target, type TargetKey } from './targets.ts';

/** Longest wait for a quiet machine before each round. */
const QUIET_WAIT_SECONDS = 15;

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2), process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}
const logger = createLogger({ level: 'silent', name: 'bench' });
const stops: (() => Promise<void>)[] = [];

async function stopAll() {
  for (const stop of stops.splice(0).reverse()) await stop();
}

async function bench(): Promise<BenchReport> {
  // Valid for every run (priming, warm-ups, measured runs) plus a generous margin.
  const tokenSeconds = loadSeconds(options) + 300;
  const setup =
    options.processes && options.databaseUrl
      ? await startProcessSetup({ databaseUrl: options.databaseUrl, tokenSeconds })
      : await startBenchSetup({ logger, databaseUrl: options.databaseUrl, tokenSeconds });
  stops.push(() => setup.stop());
  const { targets, fresh, serverPids } = setup;
  // Read before any request: what start-up alone cost each serving process in memory.
  const startHighWaterBytes = serverPids && {
    a: highWaterOf(serverPids.a),
    b: highWaterOf(serverPids.b),
    c: highWaterOf(serverPids.c),
  };
  const verified = new Map<TargetKey, { target: Target; body: string }>();
  for (const target of targets)
    verified.set(target.key, { target, body: await verifyTarget(await fresh(target)) });

  // Both gateways run the same @apollo/gateway code: whichever is measured first would otherwise also pay for
  // warming it up. So every target is primed once before any is measured.
  console.log(
    `priming a, b, c (${options.primeSeconds} s each), then ${options.rounds} rounds of ` +
      `${options.warmupSeconds} s warm-up + ${options.seconds} s measured per target (about ${loadSeconds(options)} s of load) ...`,
  );
  for (const { target, body } of verified.values())
    await warmUp(await fresh(target), body, options, options.primeSeconds);

  // Rounds interleave the targets, so a slow minute of the machine hits all three rather than one; b and c swap
  // places every other round, so neither always follows the other.
  const rounds: Round[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    // On a shared machine, give a neighbour's burst of work a little time to pass before measuring.
    const waited = await waitForQuiet(BUSY_NEIGHBOURS, QUIET_WAIT_SECONDS);
    if (waited === false) console.log(`machine still busy after ${QUIET_WAIT_SECONDS} s; measuring anyway`);
    else if (waited > 0) console.log(`waited ${waited} s for other processes to quieten`);
    const order: TargetKey[] = round % 2 === 1 ? ['a', 'b', 'c'] : ['a', 'c', 'b'];
    const measurements = {} as Record<TargetKey, Measurement>;
    for (const key of order) {
      const { target, body } = verified.get(key)!;
      measurements[key] = await measure(await fresh(target), body, options, serverPids?.[key]);
    }
    rounds.push({ round, order, measurements });
    const cpu = serverPids ? `; gateway CPU/request c/b ${cpuRatio(rounds.at(-1)!).toFixed(2)}` : '';
    console.log(
      `round ${round}/${options.rounds} (${order.join(' ')}): ${describeRound(rounds.at(-1)!)}${cpu}`,
    );
  }
  return {
    date: new Date(),
    options,
    targets,
    rounds,
    rssBytes: process.memoryUsage().rss,
    startHighWaterBytes,
  };
}

process.once('SIGINT', () => {
  console.error('interrupted; stopping');
  void stopAll().finally(() => process.exit(130));
});

try {
  const report = await bench();
  console.log(`\n${options.processes ? renderProcessesResults(report) : renderResults(report)}`);
  if (options.write) {
    const file = options.processes
      ? PROCESSES_RESULTS_FILE
      : options.databaseUrl
        ? POSTGRES_RESULTS_FILE
        : RESULTS_FILE;
    writeFileSync(file, await (options.processes ? renderProcessesMarkdown : renderMarkdown)(report));
    console.log(`\nwrote ${file.pathname}`);
  }
  if (badResponses(report) > 0) process.exitCode = 1;
} catch (error) {
  console.error('bench failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await stopAll();
}

// Everything is stopped; if some handle still keeps the process alive, say so and leave anyway.
setTimeout(() => {
  console.error('bench: something still holds the event loop after stopping; exiting');
  process.exit(process.exitCode ?? 1);
}, 5_000).unref();
