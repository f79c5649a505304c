// npm run bench:soak [-- --write]: does memory stay flat under load? The whole platform (one process, as `npm start`
// runs it) serves the bench's two-subgraph query as the demo integration, from 200 concurrent connections, in rounds
// for SOAK_MINUTES (default 10, at most 30). After each round the heap is collected and heap and RSS are sampled.
// The first rounds are warm-up (the JIT, pools and caches fill); growth is reported from there on, as the least-
// squares slope per minute and the difference between the last and the first sample after warm-up. Loopback only;
// everything started here is stopped again and the process exits by itself. --write also writes bench/RESULTS-soak.md.
import { writeFileSync } from 'node:fs';
import { createLogger } from '../common/logger.ts';
import { measure } from './load.ts';
import { startBenchSetup } from './setup.ts';
import { verifyTarget } from './targets.ts';

const RESULTS_FILE = new URL('./RESULTS-soak.md', import.meta.url);
const ROUND_SECONDS = 30;
const WARMUP_ROUNDS = 4;
const CONNECTIONS = 200;

const minutes = Number(process.env.SOAK_MINUTES ?? 10);
if (!Number.isInteger(minutes) || minutes < 3 || minutes > 30) {
  console.error('SOAK_MINUTES: must be a whole number from 3 to 30');
  process.exit(2);
}
const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) {
  console.error('run with --expose-gc (npm run bench:soak does)');
  process.exit(2);
}
const write = process.argv.includes('--write');
const MiB = 1024 * 1024;

interface Sample {
  minute: number;
  heapMiB: number;
  rssMiB: number;
  requests: number;
  /** Answers that were not 200 with the expected body (AUTHENTICATION_BUSY in a cold burst, for one). */
  non2xx: number;
  /** Connection errors and autocannon's 10 s timeouts: the latency tail under this load. */
  errors: number;
}

function sample(minute: number, requests: number, non2xx: number, errors: number): Sample {
  collect!();
  const { heapUsed, rss } = process.memoryUsage();
  return { minute, heapMiB: heapUsed / MiB, rssMiB: rss / MiB, requests, non2xx, errors };
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const logger = createLogger({ level: 'silent', name: 'soak' });
const setup = await startBenchSetup({
  logger,
  databaseUrl: process.env.BENCH_DATABASE_URL,
  tokenSeconds: 3600,
});
const samples: Sample[] = [];
try {
  const ours = setup.targets.find((t) => t.key === 'c')!;
  const expectBody = await verifyTarget(await setup.fresh(ours));
  samples.push(sample(0, 0, 0, 0));
  const rounds = Math.floor((minutes * 60) / ROUND_SECONDS);
  for (let round = 1; round <= rounds; round += 1) {
    // A fresh Maskinporten token each round: they live 120 s.
    const target = await setup.fresh(ours);
    const m = await measure(target, expectBody, {
      seconds: ROUND_SECONDS,
      warmupSeconds: 1,
      connections: CONNECTIONS,
    });
    const s = sample((round * ROUND_SECONDS) / 60, m.completed, m.non2xx, m.errors);
    samples.push(s);
    console.log(
      `round ${round}/${rounds}: ${m.completed} requests, ${s.non2xx} non-2xx, ${s.errors} errors, heap ${s.heapMiB.toFixed(1)} MiB, rss ${s.rssMiB.toFixed(1)} MiB`,
    );
  }
} finally {
  await setup.stop();
}

const steady = samples.slice(1 + WARMUP_ROUNDS);
const heapSlope = slope(steady.map((s) => ({ x: s.minute, y: s.heapMiB })));
const rssSlope = slope(steady.map((s) => ({ x: s.minute, y: s.rssMiB })));
const first = steady[0]!;
const last = steady[steady.length - 1]!;
const total = samples.reduce((s, x) => s + x.requests, 0);
const non2xx = samples.reduce((s, x) => s + x.non2xx, 0);
const errors = samples.reduce((s, x) => s + x.errors, 0);
const lines = [
  '# Soak: memory under load',
  '',
  `\`${process.env.SOAK_MINUTES ? `SOAK_MINUTES=${minutes} ` : ''}npm run bench:soak -- --write\` on ${new Date().toISOString().slice(0, 10)}, ${minutes} minutes, ${CONNECTIONS} connections,`,
  `${total} requests (${non2xx} non-2xx, ${errors} connection errors or 10 s timeouts), the whole platform in one process on ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}.`,
  'Heap and RSS are sampled after a forced garbage collection at the end of each 30 s round; the first',
  `${WARMUP_ROUNDS} rounds are warm-up. A leak shows as a steady positive slope; noise as a slope near zero.`,
  '',
  '| after warm-up | heap MiB | RSS MiB |',
  '| --- | --- | --- |',
  `| first sample | ${first.heapMiB.toFixed(1)} | ${first.rssMiB.toFixed(1)} |`,
  `| last sample | ${last.heapMiB.toFixed(1)} | ${last.rssMiB.toFixed(1)} |`,
  `| growth, last − first | ${(last.heapMiB - first.heapMiB).toFixed(1)} | ${(last.rssMiB - first.rssMiB).toFixed(1)} |`,
  `| slope per minute | ${heapSlope.toFixed(2)} | ${rssSlope.toFixed(2)} |`,
  '',
  '| minute | requests | non-2xx | errors | heap MiB | RSS MiB |',
  '| --- | --- | --- | --- | --- | --- |',
  ...samples.map(
    (s) =>
      `| ${s.minute.toFixed(1)} | ${s.requests} | ${s.non2xx} | ${s.errors} | ${s.heapMiB.toFixed(1)} | ${s.rssMiB.toFixed(1)} |`,
  ),
  '',
];
console.log(lines.join('\n'));
if (write) writeFileSync(RESULTS_FILE, lines.join('\n'));
// Memory is what this measures; failed answers are reported above, not a reason to lose the figures.
process.exit(0);
