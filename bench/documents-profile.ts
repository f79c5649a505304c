// npx tsx bench/documents-profile.ts [MiB] [small-count]: profiles document content through the gateway (issue #11).
// One platform as `npm run bench:documents` starts it; one upload and one download of a large document (default
// 256 MiB) and of `small-count` 1 MiB documents (default 32), each under V8's sampling profiler (main thread, through
// node:inspector). Prints, for each, wall time, MB/s, this process's CPU ms per MiB (user and system apart) and the
// top functions by self time and by our own code on the stack; with PROFILE_DIR set, writes the .cpuprofile files.
import { Session } from 'node:inspector/promises';
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadConfig } from '../common/config.ts';
import { DEMO_PERSONS } from '../common/demo-identities.ts';
import { createLogger } from '../common/logger.ts';
import { startPlatform } from '../platform/start.ts';
import { integrationHeaders, personAccessToken } from '../test/support/identity.ts';
import { benchAuditLogSettings } from './audit-log-settings.ts';
import { generateSigningKey } from './caller-tokens.ts';
import { timeByLocation, type Profile } from './cpu-profile.ts';
import { deleteDocument, downloadDocument, uploadDocument } from './document-transfers.ts';

const MiB = 2 ** 20;
const largeMiB = Number(process.argv[2] ?? 256);
const smallCount = Number(process.argv[3] ?? 32);
const TOP = Number(process.env.PROFILE_TOP ?? 25);

/** Self time per function (name and file:line), in µs; idle left out. */
function selfTime(profile: Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') return;
    const where = url ? `${url.replace(/^.*\/(node_modules\/)?/, '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return totals;
}

function printTop(title: string, totals: Map<string, number>, mib: number): void {
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  console.log(`  ${title} (main thread busy ${(all / 1000 / mib).toFixed(2)} ms per MiB)`);
  for (const [key, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, TOP))
    console.log(
      `    ${(us / 1000 / mib).toFixed(3).padStart(8)} ms/MiB ${((100 * us) / all).toFixed(1).padStart(5)} %  ${key}`,
    );
}

const settings = benchAuditLogSettings();
const platform = await startPlatform({
  config: loadConfig({
    SEED_DEMO_DATA: 'true',
    LOG_LEVEL: 'silent',
    CALLER_SIGNING_KEY: generateSigningKey(),
    ...settings,
  }),
  logger: createLogger({ level: 'silent', name: 'bench' }),
  database: { kind: 'pglite' },
  ephemeralPorts: true,
});
const door = { gatewayUrl: platform.gatewayUrl };
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });

/** PROFILE=0: measure only (the profiler's own cost left out). */
const profiling = process.env.PROFILE !== '0';

async function profiled(name: string, mib: number, work: () => Promise<void>): Promise<void> {
  if (profiling) await session.post('Profiler.start');
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  console.log(
    `\n${name}: ${seconds.toFixed(2)} s, ${((mib * MiB) / 1e6 / seconds).toFixed(0)} MB/s, CPU ${((used.user + used.system) / 1000 / mib).toFixed(2)} ms/MiB (user ${(used.user / 1000 / mib).toFixed(2)}, system ${(used.system / 1000 / mib).toFixed(2)})`,
  );
  if (!profiling) return;
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  printTop('self time', selfTime(profile), mib);
  printTop('by own code on the stack', timeByLocation(profile), mib);
  if (process.env.PROFILE_DIR)
    await writeFile(
      join(process.env.PROFILE_DIR, `${name.replace(/\W+/g, '-')}.cpuprofile`),
      JSON.stringify(profile),
    );
}

try {
  const caseSystem = await integrationHeaders(platform);
  const ola = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.ola.pid)}` };
  // Warm-up: the first transfer compiles the path.
  await deleteDocument(door, ola, await uploadDocument(door, caseSystem, 8 * MiB));
  let id = '';
  await profiled(`upload ${largeMiB} MiB`, largeMiB, async () => {
    id = await uploadDocument(door, caseSystem, largeMiB * MiB);
  });
  await profiled(`download ${largeMiB} MiB`, largeMiB, () => downloadDocument(door, ola, id, largeMiB * MiB));
  await deleteDocument(door, ola, id);
  const ids: string[] = [];
  await profiled(`upload ${smallCount} x 1 MiB`, smallCount, async () => {
    for (let i = 0; i < smallCount; i++) ids.push(await uploadDocument(door, caseSystem, MiB));
  });
  await profiled(`download ${smallCount} x 1 MiB`, smallCount, async () => {
    for (const each of ids) await downloadDocument(door, ola, each, MiB);
  });
  for (const each of ids) await deleteDocument(door, ola, each);
} finally {
  session.disconnect();
  await platform.stop();
  await rm(dirname(settings.DOCUMENT_CONTENT_DIR), { recursive: true, force: true });
}
