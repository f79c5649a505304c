// The read-only interface through which the gateway learns what it needs to authenticate an integration. It calls
// one SQL function owned by the integrations subgraph, so that subgraph's tables can change without touching the
// gateway.
import { isUuid } from '../common/identifiers.ts';
import type { Queryable } from '../db/database.ts';

export interface IntegrationCredentials {
  authorizedOrgnr: string;
  passwordHash: string | null;
  enabled: boolean;
  /** Which operations the integration may run: 'audit', 'safelist' or 'id-only' (gateway/trusted-operations/). */
  operationsMode: string;
  /** Bumped at each registration of its trusted operations; the gateway caches the list per version. */
  operationsVersion: number;
}

export async function integrationCredentials(
  db: Queryable,
  integrationId: string,
): Promise<IntegrationCredentials | null> {
  if (!isUuid(integrationId)) return null;
  const rows = await db.query<IntegrationCredentials>(
    `select authorized_orgnr as "authorizedOrgnr", password_hash as "passwordHash", enabled,
            operations_mode as "operationsMode", operations_version::int as "operationsVersion"
       from integrations.integration_credentials($1)`,
    [integrationId],
  );
  return rows[0] ?? null;
}
