// npm run bench:audit [-- --write]: what the audit log costs (issue #10, item 5). (1) The same read-heavy query of
// other persons' data through our gateway, audited against unaudited, on PGlite and — with BENCH_DATABASE_URL — on
// PostgreSQL; (2) sustained audit appends on PostgreSQL, group-committed against one statement per event. Prints the
// results; --write (which needs BENCH_DATABASE_URL, so the file always holds both parts) writes bench/RESULTS-audit.md.
// About 8 minutes (9 rounds of 4 s per database). Everything started here is stopped again, and the process exits by itself.
import { writeFileSync } from 'node:fs';
import { createLogger } from '../common/logger.ts';
import { benchAppends } from './audit-appends.ts';
import { benchReads, type ReadsResult } from './audit-reads.ts';
import {
  AUDIT_RESULTS_FILE,
  renderAuditMarkdown,
  renderAuditResults,
  type AuditReport,
} from './audit-report.ts';

const HOW_TO_READ = `## How to read this

**Part 1** runs two whole platforms (four subgraphs, gateway, local ID-porten) in this one process, each on its own
database, with the demo data; they differ only in the read audit. The audited one is the platform as deployed; the
unaudited one was started with \`benchWithoutReadAudit\`, a bench-only option of \`startPlatform\` (not a setting:
no configuration switches auditing off, and production mode refuses it) that leaves out the audit plugin and the
legal-basis rule on \`@personalData\` fields. Both get the same query from the same administrator:
\`organization(orgnr) { name documents { title exposedTo { kind value } } resources { name grants { actorType actorId privilege } } }\`,
which reads three other persons' data in two subgraphs, so each audited request stores three PERSONAL_DATA_READ
events (two statements, one per subgraph, each shared with the other requests of its group) before its answer leaves.
Before measuring, both must answer the same data, and the audited one must store its events while the other stores
none; during the runs every response must equal the verified one. Since an audited subgraph answers
AUDIT_UNAVAILABLE instead of the data when its events cannot be stored, every verified answer was audited. The
ratio is taken within each round (runs seconds apart) and the headline is the median of the rounds, as in
\`npm run bench\`. **CPU µs/request** is the whole process's CPU (servers, load generator) per request; on
PostgreSQL the database server's work is not in it.

**Part 2** measures the write path alone on a scratch database with the audit migrations: concurrent appenders
stand for concurrent requests, each waiting until its events are stored, through \`createGroupCommitter\` (what the
subgraphs use: all that arrive while one statement is in flight go in the next) and, for contrast, with
\`appendAuditEvent\`, one statement and one commit per event, through the same pool of 10 connections.
**Events per statement** is the mean group size. **Wait** is how long a request waited for its events.

The machine has two cores and was shared: other engineers' tests ran while this was measured, and on PostgreSQL the
database server's own processes count as other processes too. The rounds and their spread are listed so that a
disturbed round shows.
`;

const write = process.argv.includes('--write');
const unknown = process.argv.slice(2).filter((arg) => arg !== '--write');
const whole = (name: string, fallback: number, max: number) => {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    console.error(`${name}: must be a whole number from 1 to ${max}`);
    process.exit(2);
  }
  return value;
};
const rounds = whole('BENCH_ROUNDS', 9, 50);
const seconds = whole('BENCH_SECONDS', 4, 600);
const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
if (unknown.length > 0) {
  console.error(`unknown argument(s): ${unknown.join(' ')} (only --write is understood)`);
  process.exit(2);
}
if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
  console.error('BENCH_DATABASE_URL: must be a postgres:// URL');
  process.exit(2);
}
if (write && !databaseUrl) {
  console.error('--write needs BENCH_DATABASE_URL: the results file holds the PostgreSQL figures too');
  process.exit(2);
}

const log = (line: string) => console.log(line);
/** Longest wait for other processes to quieten before each round; short, since on a shared machine they seldom do. */
const QUIET_WAIT_SECONDS = 5;
const readSettings = { rounds, seconds, primeSeconds: Math.min(5, seconds), connections: 10 };
const appendSettings = {
  rounds: 3,
  seconds,
  appenders: 64,
  eventsPerRequest: 3,
  quietWaitSeconds: QUIET_WAIT_SECONDS,
};
// Without the URL (which may hold a password) in what is written.
const command =
  (databaseUrl ? 'BENCH_DATABASE_URL=… ' : '') +
  (process.env.BENCH_ROUNDS ? `BENCH_ROUNDS=${rounds} ` : '') +
  (process.env.BENCH_SECONDS ? `BENCH_SECONDS=${seconds} ` : '') +
  `npm run bench:audit${write ? ' -- --write' : ''}`;

try {
  const readResults: ReadsResult[] = [];
  const logger = createLogger({ level: 'silent', name: 'bench' });
  for (const url of databaseUrl ? [undefined, databaseUrl] : [undefined]) {
    readResults.push(
      await benchReads({
        ...readSettings,
        databaseUrl: url,
        quietWaitSeconds: QUIET_WAIT_SECONDS,
        logger,
        log,
      }),
    );
  }
  const appends = databaseUrl ? await benchAppends({ ...appendSettings, databaseUrl, log }) : undefined;
  const report: AuditReport = {
    date: new Date(),
    command,
    reads: readSettings,
    readResults,
    appendSettings: databaseUrl ? appendSettings : undefined,
    appends,
  };
  console.log(`\n${renderAuditResults(report)}`);
  if (write) {
    writeFileSync(AUDIT_RESULTS_FILE, await renderAuditMarkdown(report, HOW_TO_READ));
    console.log(`\nwrote ${AUDIT_RESULTS_FILE.pathname}`);
  }
} catch (error) {
  console.error('bench:audit failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
}

// Everything is stopped; if some handle still keeps the process alive, say so and leave anyway.
setTimeout(() => {
  console.error('bench:audit: something still holds the event loop after stopping; exiting');
  process.exit(process.exitCode ?? 1);
}, 5_000).unref();
