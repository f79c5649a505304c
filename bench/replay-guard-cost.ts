// npx tsx bench/replay-guard-cost.ts: what a subgraph pays per call to remember its caller token — in this process
// only (replay-guard.ts; without REDIS_URL) and also claimed in Redis for all replicas (shared-replay-guard.ts; with
// REDIS_URL, one SET NX PX on the connection the process holds). For each it reports the wall time per token with
// N in flight (as under load) and this process's CPU per token: the Redis server's own CPU is not in it (it is
// another process; `redis-cli info cpu` shows it). Needs Redis at REDIS_BENCH_URL (default 127.0.0.1:6379); its
// keys go under a prefix of their own and expire within a minute.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createLogger } from '../common/logger.ts';
import { connectRedis } from '../common/redis.ts';
import { createReplayGuard } from '../subgraphs/runtime/replay-guard.ts';
import { createSharedReplayGuard } from '../subgraphs/runtime/shared-replay-guard.ts';

const TOKENS = Number(process.env.COST_TOKENS ?? 20_000);
const IN_FLIGHT = 10;
const redis = await connectRedis(process.env.REDIS_BENCH_URL ?? 'redis://127.0.0.1:6379');
const log = createLogger({ level: 'warn', name: 'bench' });

async function cost(claim: (id: string) => unknown): Promise<{ wallMicros: number; cpuMicros: number }> {
  const ids = Array.from({ length: TOKENS + 2000 }, () => randomUUID());
  for (let i = 0; i < 2000; i++) await claim(ids[TOKENS + i]!); // warm the JIT and the connection
  const cpu = process.cpuUsage();
  const start = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < TOKENS) await claim(ids[next++]!);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const wall = (performance.now() - start) * 1000;
  const used = process.cpuUsage(cpu);
  return { wallMicros: wall / TOKENS, cpuMicros: (used.user + used.system) / TOKENS };
}

const expiresAt = () => Date.now() + 65_000;
const local = createReplayGuard({ maxEntries: 200_000 });
const shared = createSharedReplayGuard({
  redis,
  prefix: `fiks-bench:${randomUUID()}:`,
  subgraph: 'documents',
  log,
});

const rows: [string, { wallMicros: number; cpuMicros: number }][] = [
  ['this process only', await cost((id) => local.admit(id, expiresAt()))],
  [
    'this process and Redis',
    await cost((id) => (local.admit(id, expiresAt()), shared.claim(id, expiresAt()))),
  ],
];
redis.disconnect();

console.log(`${TOKENS} tokens, ${IN_FLIGHT} in flight\n`);
console.log('| guard | wall µs/token | CPU µs/token (this process) |');
console.log('| --- | --- | --- |');
for (const [name, { wallMicros, cpuMicros }] of rows)
  console.log(`| ${name} | ${wallMicros.toFixed(1)} | ${cpuMicros.toFixed(1)} |`);
