// A throwaway database: a new, uniquely named database on a PostgreSQL server, dropped again by `drop()`. Tests use
// one per platform (DATABASE_URL), the bench one per run (BENCH_DATABASE_URL), so nothing is shared between runs.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from './database.ts';

export interface ScratchDatabase {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

/** A new database on the server `serverUrl` points at (any database there will do to connect). */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  if (!/^[a-z_]+$/.test(prefix)) throw new Error('scratch database prefix: lower-case letters and _ only');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  // eslint-disable-next-line fiks/no-sql-interpolation -- `name` is the checked prefix and hex digits.
  await withServer(serverUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'postgres', url: url.toString() },
    drop: () =>
      // eslint-disable-next-line fiks/no-sql-interpolation -- `name` is the checked prefix and hex digits.
      withServer(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(
        () => undefined,
      ),
  };
}

async function withServer<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
