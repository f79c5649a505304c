// npx tsx bench/caller-scope-cost.ts: what one caller-scoped statement (subgraphs/runtime/caller-scope.ts) costs on
// PostgreSQL, now and as it was before the settings travelled with `begin`. A scratch database on the server at
// BENCH_DATABASE_URL (default the local one) gets a table of 1,000 rows under a row-level security policy that reads
// the caller's settings; each way runs the same statement SCOPE_STATEMENTS times, one at a time (latency) and
// SCOPE_IN_FLIGHT at a time (throughput). Reports the median over SCOPE_ROUNDS rounds, the ways taking turns, of:
// wall time per statement, CPU time of this process per statement, and CPU time of the database's server
// processes per statement (from /proc, so only when the server runs on this machine).
//
// "before" is the code of commit a811d72, restated here: a pool without pipelining, then `begin`, the settings
// statement, the statement and `commit`, each waiting for the one before. "now" is callerScoped over openDatabase.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import type { Principal } from '../access/principal.ts';
import { DEMO_PERSONS } from '../common/demo-identities.ts';
import { APPLICATION_ROLE, ensureApplicationRole } from '../db/application-role.ts';
import { openDatabase } from '../db/database.ts';
import { createScratchDatabase } from '../db/scratch-database.ts';
import { callerScoped } from '../subgraphs/runtime/caller-scope.ts';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const STATEMENTS = Number(process.env.SCOPE_STATEMENTS ?? 2000);
const ROUNDS = Number(process.env.SCOPE_ROUNDS ?? 7);
const IN_FLIGHT = Number(process.env.SCOPE_IN_FLIGHT ?? 8);

const PID = DEMO_PERSONS.ola.pid;
const CALLER: Principal = { kind: 'person', pid: PID, acr: 'idporten-loa-high' };
const STATEMENT = 'select body from note order by body limit 5';

/** The settings statement of commit a811d72, values as parameters. */
const SET_CALLER = `select set_config('role', '${APPLICATION_ROLE}', true),
  set_config('fiks.actor_type', $1, true), set_config('fiks.actor_id', $2, true),
  set_config('fiks.pid', $3, true), set_config('fiks.acting_for', $4, true), set_config('fiks.acr', $5, true),
  set_config('fiks.acting_for_roles', $6, true)`;
const CALLER_VALUES = ['PERSON', PID, PID, '', 'idporten-loa-high', ''];

type Statement = () => Promise<unknown>;

/** CPU seconds of the given processes (utime + stime, /proc/<pid>/stat fields 14 and 15); 0 for any not readable. */
function processCpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Not on this machine, or gone.
    }
  }
  return ticks / 100;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main() {
  const scratch = await createScratchDatabase(SERVER_URL, 'fiks_bench');
  if (scratch.target.kind !== 'postgres') throw new Error('PostgreSQL expected');
  const url = scratch.target.url;
  const db = await openDatabase(scratch.target);
  const before = new pg.Pool({ connectionString: url, max: 10 });
  const watcher = new pg.Client({ connectionString: url });
  try {
    await watcher.connect();
    await db.transaction(async (tx) => {
      await ensureApplicationRole(tx);
      await tx.exec(`
        create table note (pid text not null, body text not null);
        alter table note enable row level security;
        create policy own_notes on note using (pid = current_setting('fiks.pid', true));
        grant select on note to ${APPLICATION_ROLE};
        insert into note select 'owner-' || (i % 10), 'note ' || i from generate_series(1, 1000) i;`);
      await tx.query('update note set pid = $1 where pid = $2', [PID, 'owner-0']);
      await tx.exec('analyze note');
    });
    const backends = async () =>
      (
        await watcher.query<{ pid: number }>(
          'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        )
      ).rows.map((r) => r.pid);

    const scoped = callerScoped(db, CALLER);
    const ways: Record<string, Statement> = {
      'before (4 round trips)': async () => {
        const client = await before.connect();
        try {
          await client.query('begin');
          await client.query(SET_CALLER, CALLER_VALUES);
          const rows = (await client.query<{ body: string }>(STATEMENT)).rows;
          await client.query('commit');
          return rows;
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      },
      'now (2 round trips)': () => scoped.query(STATEMENT),
    };
    const check = await Promise.all(Object.values(ways).map((way) => way()));
    if (check.some((rows) => (rows as unknown[]).length !== 5))
      throw new Error('the policy let the wrong rows by');

    async function measure(statement: Statement, inFlight: number) {
      const pids = await backends();
      const serverBefore = processCpuSeconds(pids);
      const cpu = process.cpuUsage();
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next++ < STATEMENTS) await statement();
        }),
      );
      const wall = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      const server = processCpuSeconds(pids) - serverBefore;
      return {
        wallMicros: (wall * 1e6) / STATEMENTS,
        cpuMicros: (used.user + used.system) / STATEMENTS,
        serverMicros: (server * 1e6) / STATEMENTS,
      };
    }

    console.log(
      `Node ${process.version}, ${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const server = (await watcher.query<{ server_version: string }>('show server_version')).rows[0]!
      .server_version;
    console.log(`PostgreSQL ${server}; ${STATEMENTS} statements × ${ROUNDS} rounds\n`);
    const names = Object.keys(ways);
    for (const name of names) for (let i = 0; i < 500; i++) await ways[name]!(); // warm up, open connections
    for (const inFlight of [1, IN_FLIGHT]) {
      const results = new Map(
        names.map((n) => [n, { wall: [] as number[], cpu: [] as number[], server: [] as number[] }]),
      );
      for (let round = 0; round < ROUNDS; round++) {
        for (const name of round % 2 === 0 ? names : [...names].reverse()) {
          const m = await measure(ways[name]!, inFlight);
          const r = results.get(name)!;
          r.wall.push(m.wallMicros);
          r.cpu.push(m.cpuMicros);
          r.server.push(m.serverMicros);
        }
      }
      console.log(`${inFlight} in flight:`);
      console.log('| way | wall µs per statement | Node CPU µs | server CPU µs | statements/s |');
      console.log('| --- | --- | --- | --- | --- |');
      for (const [name, r] of results) {
        const wall = median(r.wall);
        console.log(
          `| ${name} | ${wall.toFixed(0)} | ${median(r.cpu).toFixed(0)} | ${median(r.server).toFixed(0)} | ${(1e6 / wall).toFixed(0)} |`,
        );
      }
      console.log('');
    }
    console.log(
      `load average at end ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await watcher.end();
    await before.end();
    await db.close();
    await scratch.drop();
  }
}

await main();
