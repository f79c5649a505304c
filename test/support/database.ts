// A fresh database for each test platform: in-memory PGlite by default, or a new database on the PostgreSQL server
// named by DATABASE_URL (how .ci/run runs the suite a second time), dropped again afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from '../../subgraphs/runtime/database.ts';

export interface TestDatabase {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

export const POSTGRES_URL = process.env.DATABASE_URL;

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!POSTGRES_URL) return { target: { kind: 'pglite' }, drop: () => Promise.resolve() };
  const name = `fiks_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`create database ${name}`));
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'postgres', url: url.toString() },
    drop: () =>
      withAdmin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
