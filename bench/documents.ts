// npm run bench:documents [-- --write]: how fast document content moves through the gateway (issue #11) against
// plain AES-256-GCM in memory, what CPU it costs per MiB, and how much memory a 1 GiB transfer takes. One platform
// (PGlite, or a scratch database on BENCH_DATABASE_URL) with the demo data, in this process; BENCH_ROUNDS rounds
// (default 3). Prints the results; --write writes bench/RESULTS-documents.md. Its temporary folders (the document
// store's content and keys) are removed at the end.
import { rm, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { loadConfig } from '../common/config.ts';
import { BENCH_UNTHROTTLED } from './rate-limit-settings.ts';
import { DEMO_PERSONS } from '../common/demo-identities.ts';
import { createLogger } from '../common/logger.ts';
import { createScratchDatabase } from '../db/scratch-database.ts';
import { startPlatform } from '../platform/start.ts';
import { integrationHeaders, personAccessToken } from '../test/support/identity.ts';
import { benchAuditLogSettings } from './audit-log-settings.ts';
import { generateSigningKey } from './caller-tokens.ts';
import { measureRound, type DocumentsRound } from './document-rounds.ts';
import {
  DOCUMENTS_RESULTS_FILE,
  renderDocumentsMarkdown,
  renderDocumentsResults,
  type DocumentsReport,
} from './documents-report.ts';

const HOW_TO_READ = `## How to read this

**Raw AES-GCM** is the ceiling issue #11 measures against: \`node:crypto\` AES-256-GCM, one cipher and tag per 64 KiB
segment, in memory, no I/O (\`bench/content-crypto.ts\`). **Format** is our segmented format's encrypting and
decrypting streams, also in memory (docs/DOCUMENT-ENCRYPTION.md). An **upload** is the demo case system's
\`startDocumentUpload\` call and a streaming \`PUT /documents/content/<link>\` of generated content (one random
256 KiB block repeated, so making the bytes costs nothing) with its Maskinporten token and integration credentials;
on its way the gateway relays it to the documents subgraph, which hashes it (SHA-256), encrypts it and writes it to a
file. A **download** is Ola's \`startDocumentDownload\` and a streaming \`GET\` (read from the file, decrypted,
relayed); the client counts the bytes and drops them. The downloaded file was written moments before, so it is read
from the page cache, not the disk. Each document is deleted after its download (untimed).

The ratio to raw is taken within each round (measured seconds apart) and the headline is the median of the rounds.
The comparison is deliberately harsh: raw is one core doing only AES, while a transfer also hashes, copies through
two HTTP hops and the file system, and runs the client; both sides share this machine's two cores.

**CPU ms per MiB** is \`process.cpuUsage()\` over the run (all threads of this process: the client, the gateway, the
subgraphs, PGlite, libuv's file I/O) divided by MiB moved. Work of a PostgreSQL server (with BENCH_DATABASE_URL) is not
in it; for content it is small (a few statements a document).

**Memory** is sampled every 50 ms and after every 4 MiB that passes the client's stream, during the 1 GiB upload and
download only, after a garbage collection: the peak of each measure minus its value just before. \`external\` includes
\`arrayBuffers\` (Buffer contents); the two peak at different moments, so the second can exceed the first. What
counts is that none of them grows with the document's size: buffers in flight along the path (client, gateway,
subgraph, file) are bounded by the streams' high-water marks. RSS seldom shrinks once the process has held more (the
in-memory references and the 64 MiB transfers run before), so its growth can read about 0; the table also gives where
it stood before and at its peak.

The machine is shared: the load average at the start of each round and the share of CPU other processes took during
the transfers are listed; with busy neighbours the MB/s drop and scatter, the CPU per MiB much less.

**Why the aim is out of reach here.** \`npx tsx bench/content-floor.ts\` measures the steps an upload cannot skip, each
alone, in CPU ms per MiB (2026-12-01, this machine, busy): SHA-256 0.75, AES-256-GCM 0.59, one loopback HTTP hop
(client and server) 1.00, writing the file 0.39. An upload makes two hops (client → gateway → subgraph), so it needs
at least 2 × 1.00 + 0.75 + 0.59 + 0.39 = **3.7 ms of CPU per MiB**; a download (file, AES, two hops) about 3. At 0.8
of raw (0.8 × ~1300 MB/s ≈ 990 MiB/s) a MiB may take 1.0 ms, that is at most 2.0 ms of CPU on both of this machine's
cores together — less than either floor, before the client's own share and any neighbour. The hashing and the
encryption alone (1.3 ms a MiB, on one thread, one after the other) would cap an upload at about 0.54 of raw. The
best achievable in this one-process bench on two cores is about 2 / 3.7 ≈ 540 MiB/s (0.4 of raw) uploading and
2 / 3 ≈ 670 MiB/s (0.5) downloading, and only with both cores free. What the 1 GiB transfers above take beyond that floor
(3–3.7 ms per MiB) is in part stream and socket plumbing spread thin over many functions, and in large part
the bench's own conditions: \`bench/documents-profile.ts\` measured the same transfers at about 6 ms per MiB
(bench/README.md, "Open").

For 1 MiB documents the content is the smaller part: each document costs about 45 ms of CPU on the way up and 35 ms
on the way down whatever its size (\`bench/documents-profile.ts\` at load 2–10; more on a machine as busy as in the run above), mostly its database statements on the in-process PGlite (about 25 an upload — two
authenticated requests, the link, the key, the document, the exposures, the opt-out checks, the audit event — and 13 a
download).
`;

const write = process.argv.includes('--write');
const unknown = process.argv.slice(2).filter((arg) => arg !== '--write');
if (unknown.length > 0) {
  console.error(`unknown argument(s): ${unknown.join(' ')} (only --write is understood)`);
  process.exit(2);
}
const roundsRaw = process.env.BENCH_ROUNDS;
const rounds = roundsRaw ? Number(roundsRaw) : 3;
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) {
  console.error('BENCH_ROUNDS: must be a whole number from 1 to 20');
  process.exit(2);
}
const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
  console.error('BENCH_DATABASE_URL: must be a postgres:// URL');
  process.exit(2);
}
/** Longest wait for other processes to quieten before each round; short, since on a shared machine they seldom do. */
const QUIET_WAIT_SECONDS = 5;
// Without the URL (which may hold a password) in what is written.
const command =
  (databaseUrl ? 'BENCH_DATABASE_URL=… ' : '') +
  (roundsRaw ? `BENCH_ROUNDS=${rounds} ` : '') +
  `npm run bench:documents${write ? ' -- --write' : ''}`;
const database = databaseUrl
  ? `PostgreSQL at ${new URL(databaseUrl).hostname} (a scratch database, dropped after the run)`
  : 'in-memory PGlite in this process';

const settings = benchAuditLogSettings();
// benchAuditLogSettings puts everything of one platform in one fresh temporary folder: the content's parent.
const scratchFolder = dirname(settings.DOCUMENT_CONTENT_DIR);
const stops: (() => Promise<unknown>)[] = [
  () =>
    basename(scratchFolder).startsWith('fiks-bench-audit-')
      ? rm(scratchFolder, { recursive: true, force: true })
      : Promise.resolve(),
];

try {
  const scratch = databaseUrl ? await createScratchDatabase(databaseUrl, 'fiks_bench') : undefined;
  if (scratch) stops.push(() => scratch.drop());
  const platform = await startPlatform({
    config: loadConfig({
      SEED_DEMO_DATA: 'true',
      LOG_LEVEL: 'silent',
      CALLER_SIGNING_KEY: generateSigningKey(),
      ...BENCH_UNTHROTTLED,
      ...settings,
    }),
    logger: createLogger({ level: 'silent', name: 'bench' }),
    database: scratch?.target ?? { kind: 'pglite' },
    ephemeralPorts: true,
  });
  stops.push(() => platform.stop());

  const door = { gatewayUrl: platform.gatewayUrl };
  const callers = {
    caseSystem: () => integrationHeaders(platform),
    ola: async () => ({
      authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.ola.pid)}`,
    }),
  };
  const measured: DocumentsRound[] = [];
  for (let round = 1; round <= rounds; round++) {
    console.log(`round ${round} of ${rounds}…`);
    measured.push(await measureRound(round, door, callers, QUIET_WAIT_SECONDS));
  }
  const report: DocumentsReport = { date: new Date(), command, database, rounds: measured };
  console.log(`\n${renderDocumentsResults(report)}`);
  if (write) {
    await writeFile(DOCUMENTS_RESULTS_FILE, await renderDocumentsMarkdown(report, HOW_TO_READ));
    console.log(`\nwrote ${DOCUMENTS_RESULTS_FILE.pathname}`);
  }
} catch (error) {
  console.error('bench:documents failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  // In reverse: the platform, then its database, then the folder with its (up to 1 GiB) content files.
  for (const stop of stops.reverse()) {
    await stop().catch((error: unknown) =>
      console.error('bench:documents: stopping failed:', error instanceof Error ? error.message : error),
    );
  }
}

// Everything is stopped; if some handle still keeps the process alive, say so and leave anyway.
setTimeout(() => {
  console.error('bench:documents: something still holds the event loop after stopping; exiting');
  process.exit(process.exitCode ?? 1);
}, 5_000).unref();
