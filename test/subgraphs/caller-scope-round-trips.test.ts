// A caller-scoped statement on PostgreSQL waits for the server twice: once for `begin` with the caller's settings,
// once for the statement with its `commit` (issue #13 item 5; it was four: begin, settings, statement, commit). The
// round trips are counted on the wire, by a relay in front of the real server; what the statement sees (role,
// settings, the policies' verdict) is asked of the server itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../access/principal.ts';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { APPLICATION_ROLE, ensureApplicationRole } from '../../db/application-role.ts';
import { openDatabase, type Db } from '../../db/database.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../db/scratch-database.ts';
import { callerScoped } from '../../subgraphs/runtime/caller-scope.ts';
import { POSTGRES_URL } from '../support/database.ts';
import { countRoundTrips, type RoundTripCounter } from '../support/round-trips.ts';

const SERVER_URL =
  POSTGRES_URL || process.env.POSTGRES_TEST_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const ola: Principal = { kind: 'person', pid: DEMO_PERSONS.ola.pid, acr: 'idporten-loa-high' };
const kari: Principal = { kind: 'person', pid: DEMO_PERSONS.kari.pid, acr: 'idporten-loa-high' };

interface Session {
  role: string;
  pid: string | null;
  backend: number;
}
const SESSION = `select current_user as role, current_setting('fiks.pid', true) as pid, pg_backend_pid() as backend`;

describe('caller scope / round trips to PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let relay: RoundTripCounter;
  let db: Db;

  /** Round trips taken by fn, on a pool whose connection is open already. */
  async function roundTrips<T>(fn: () => Promise<T>): Promise<{ result: T; trips: number }> {
    const before = relay.flights();
    const result = await fn();
    return { result, trips: relay.flights() - before };
  }

  beforeAll(async () => {
    scratch = await createScratchDatabase(SERVER_URL, 'fiks_test');
    if (scratch.target.kind !== 'postgres') throw new Error('PostgreSQL expected');
    const url = new URL(scratch.target.url);
    relay = await countRoundTrips({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `${relay.address.host}:${relay.address.port}`;
    db = await openDatabase({ kind: 'postgres', url: url.toString() });
    await db.transaction(async (tx) => {
      await ensureApplicationRole(tx);
      await tx.exec(`
        create table note (pid text not null, body text not null);
        alter table note enable row level security;
        create policy own_notes on note using (pid = current_setting('fiks.pid', true));
        grant select, insert on note to ${APPLICATION_ROLE};`);
      await tx.query('insert into note values ($1, $2), ($3, $4)', [
        ola.pid,
        'for Ola',
        kari.pid,
        'for Kari',
      ]);
    });
  });
  afterAll(async () => {
    await db?.close();
    await relay?.close();
    await scratch?.drop();
  });

  it('sends a caller-scoped statement in two round trips, as the application role with the caller in settings', async () => {
    const { result, trips } = await roundTrips(() => callerScoped(db, ola).query<Session>(SESSION));
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ role: APPLICATION_ROLE, pid: ola.pid });
    expect(trips).toBe(2);
  });

  it('lets the policies show the caller only their own rows', async () => {
    const { result, trips } = await roundTrips(() => callerScoped(db, kari).query('select body from note'));
    expect(result).toEqual([{ body: 'for Kari' }]);
    expect(trips).toBe(2);
  });

  it('opens a caller-scoped transaction in one round trip, its settings in place before its first statement', async () => {
    const { result, trips } = await roundTrips(() =>
      callerScoped(db, ola).transaction((tx) => tx.query<Session>(SESSION)),
    );
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ role: APPLICATION_ROLE, pid: ola.pid });
    // begin with the settings, the statement, commit.
    expect(trips).toBe(3);
  });

  it('leaves nothing of the caller on the connection afterwards', async () => {
    const [scoped] = await callerScoped(db, ola).query<Session>(SESSION);
    const [after] = await db.query<Session>(SESSION);
    expect(after!.backend).toBe(scoped!.backend);
    expect(after!.role).not.toBe(APPLICATION_ROLE);
    expect(after!.pid ?? '').toBe('');
  });

  it('commits nothing of a statement that fails, and the connection serves the next caller', async () => {
    const { result: refused, trips } = await roundTrips(() =>
      callerScoped(db, ola)
        .query('insert into note values ($1, $2)', [kari.pid, 'from Ola'])
        .catch((error: unknown) => error),
    );
    expect(String(refused)).toMatch(/row-level security/);
    // The pipelined commit ended the failed transaction: no rollback, no third round trip.
    expect(trips).toBe(2);
    const failsAfterWriting = callerScoped(db, ola).query(
      'with written as (insert into note values ($1, $2) returning 1) select 1 / 0 from written',
      [ola.pid, 'half done'],
    );
    await expect(failsAfterWriting).rejects.toThrow(/division by zero/);
    expect(await db.query('select body from note order by body')).toEqual([
      { body: 'for Kari' },
      { body: 'for Ola' },
    ]);
    expect(await callerScoped(db, kari).query('select body from note')).toEqual([{ body: 'for Kari' }]);
  });

  it('cannot be talked out of the caller: settings passed with a statement come before the caller’s', async () => {
    const [session] = await callerScoped(db, ola).query<Session>(SESSION, [], {
      settings: [
        ['role', 'postgres'],
        ['fiks.pid', kari.pid],
      ],
    });
    expect(session).toMatchObject({ role: APPLICATION_ROLE, pid: ola.pid });
  });
});
