// The read-only interface through which the gateway loads one integration's trusted operations: one SQL function
// owned by the integrations subgraph (subgraphs/integrations/migrations/005_trusted_operations.sql), so that
// subgraph's tables can change without touching the gateway.
import { isUuid } from '../common/identifiers.ts';
import type { Queryable } from '../db/database.ts';

export interface StoredTrustedOperation {
  sha256: string;
  body: string;
  name: string | null;
  limits: Record<string, unknown> | null;
}

export interface StoredTrustedOperations {
  /** The list's version; 0 with no operations registered yet. */
  version: number;
  operations: StoredTrustedOperation[];
}

export async function integrationOperations(
  db: Queryable,
  integrationId: string,
): Promise<StoredTrustedOperations> {
  if (!isUuid(integrationId)) return { version: 0, operations: [] };
  const rows = await db.query<StoredTrustedOperation & { version: number }>(
    `select version::int as version, sha256, body, name, limits from integrations.integration_operations($1)`,
    [integrationId],
  );
  return {
    version: rows[0]?.version ?? 0,
    operations: rows.map(({ sha256, body, name, limits }) => ({ sha256, body, name, limits })),
  };
}
