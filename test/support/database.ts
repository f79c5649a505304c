// A fresh database for each test platform: in-memory PGlite by default, or a new database on the PostgreSQL server
// named by DATABASE_URL (how .ci/run runs the suite a second time), dropped again afterwards.
import { createScratchDatabase, type ScratchDatabase } from '../../db/scratch-database.ts';

export type TestDatabase = ScratchDatabase;

export const POSTGRES_URL = process.env.DATABASE_URL;

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!POSTGRES_URL) return { target: { kind: 'pglite' }, drop: () => Promise.resolve() };
  return createScratchDatabase(POSTGRES_URL, 'fiks_test');
}
