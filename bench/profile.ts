// npm run bench:profile: where our gateway spends the CPU the bare gateway does not. Starts the same targets as
// `npm run bench`, then profiles the main thread (V8's sampling profiler, through node:inspector) while the bare
// gateway (b) and then our gateway (c) are under load, and prints, per code location, the CPU time per request in
// each and the difference. Everything runs in this one process, so the subgraphs' share is in both columns.
import { Session } from 'node:inspector/promises';
import { createLogger } from '../common/logger.ts';
import { measure, warmUp } from './load.ts';
import { timeByLocation, type Profile } from './cpu-profile.ts';
import { startBenchSetup } from './setup.ts';
import { verifyTarget } from './targets.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const SETTINGS = { seconds: SECONDS, warmupSeconds: 1, connections: 10 };

const logger = createLogger({ level: 'silent', name: 'bench' });
const { targets, fresh, stop } = await startBenchSetup({
  logger,
  databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
  tokenSeconds: 600,
});

const session = new Session();
session.connect();
await session.post('Profiler.enable');
const results: Record<string, { perRequest: Map<string, number>; requests: number }> = {};
try {
  for (const key of ['b', 'c'] as const) {
    const target = await fresh(targets.find((t) => t.key === key)!);
    const body = await verifyTarget(target);
    await warmUp(target, body, SETTINGS, 5);
    await session.post('Profiler.start');
    const measurement = await measure(target, body, { ...SETTINGS, warmupSeconds: 0.1 });
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    const perRequest = new Map<string, number>();
    for (const [where, micros] of timeByLocation(profile))
      perRequest.set(where, micros / measurement.completed);
    results[key] = { perRequest, requests: measurement.completed };
    console.log(
      `${key}: ${measurement.requestsPerSecond.toFixed(0)} req/s, ${measurement.completed} requests`,
    );
  }
} finally {
  session.disconnect();
  await stop();
}

const b = results.b!.perRequest;
const c = results.c!.perRequest;
const rows = [...new Set([...b.keys(), ...c.keys()])]
  .map((k) => ({ where: k, b: b.get(k) ?? 0, c: c.get(k) ?? 0 }))
  .sort((x, y) => y.c - y.b - (x.c - x.b));
const sum = (m: Map<string, number>) => [...m.values()].reduce((total, v) => total + v, 0);
console.log(`\nmain-thread CPU per request (µs): b ${sum(b).toFixed(0)}, c ${sum(c).toFixed(0)}`);
console.log('largest differences (c - b), µs per request:');
for (const row of rows.slice(0, 25))
  console.log(
    `${(row.c - row.b).toFixed(0).padStart(6)}  b ${row.b.toFixed(0).padStart(5)}  c ${row.c.toFixed(0).padStart(5)}  ${row.where}`,
  );
setTimeout(() => process.exit(0), 2000).unref();
