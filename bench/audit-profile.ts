// npx tsx bench/audit-profile.ts: where the audited platform spends the CPU the unaudited one does not. Starts both
// platforms of `npm run bench:audit` part 1 (PGlite, or PostgreSQL with BENCH_DATABASE_URL), profiles the main thread
// while each is under load, and prints CPU time per request by location and the difference, as
// `npm run bench:profile` does for the two gateways.
import { Session } from 'node:inspector/promises';
import { createLogger } from '../common/logger.ts';
import { check, startVariant, VARIANTS, type Variant } from './audit-reads.ts';
import { timeByLocation, type Profile } from './cpu-profile.ts';
import { measure, warmUp } from './load.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const SETTINGS = { seconds: SECONDS, warmupSeconds: 1, connections: 10 };
const settings = {
  databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
  logger: createLogger({ level: 'silent', name: 'bench' }),
};

const session = new Session();
session.connect();
await session.post('Profiler.enable');
const results = {} as Record<Variant, Map<string, number>>;
for (const variant of VARIANTS) {
  // One platform at a time, so the other's idle timers are not in the profile.
  const running = await startVariant(variant, settings);
  try {
    const body = await check(await running.fresh(), 1);
    await warmUp(await running.fresh(), body, SETTINGS, 5);
    await session.post('Profiler.start');
    const measurement = await measure(await running.fresh(), body, { ...SETTINGS, warmupSeconds: 1 });
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    const perRequest = new Map<string, number>();
    for (const [where, micros] of timeByLocation(profile))
      perRequest.set(where, micros / measurement.completed);
    results[variant] = perRequest;
    console.log(
      `${variant}: ${measurement.requestsPerSecond.toFixed(0)} req/s, ${measurement.completed} requests`,
    );
  } finally {
    await running.stop();
  }
}
session.disconnect();

const off = results.unaudited;
const on = results.audited;
const rows = [...new Set([...off.keys(), ...on.keys()])]
  .map((k) => ({ where: k, off: off.get(k) ?? 0, on: on.get(k) ?? 0 }))
  .sort((x, y) => y.on - y.off - (x.on - x.off));
const sum = (m: Map<string, number>) => [...m.values()].reduce((total, v) => total + v, 0);
console.log(
  `\nmain-thread CPU per request (µs): unaudited ${sum(off).toFixed(0)}, audited ${sum(on).toFixed(0)}`,
);
console.log('largest differences (audited - unaudited), µs per request:');
for (const row of rows.slice(0, 25))
  console.log(
    `${(row.on - row.off).toFixed(0).padStart(6)}  off ${row.off.toFixed(0).padStart(6)}  on ${row.on.toFixed(0).padStart(6)}  ${row.where}`,
  );
setTimeout(() => process.exit(0), 2000).unref();
