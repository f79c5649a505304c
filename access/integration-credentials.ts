// The read-only interface through which the gateway learns what it needs to authenticate an integration. It calls
// one SQL function owned by the integrations subgraph, so that subgraph's tables can change without touching the
// gateway.
import { isUuid } from '../common/identifiers.ts';
import type { Queryable } from '../db/database.ts';

export interface IntegrationCredentials {
  authorizedOrgnr: string;
  passwordHash: string | null;
  enabled: boolean;
}

export async function integrationCredentials(
  db: Queryable,
  integrationId: string,
): Promise<IntegrationCredentials | null> {
  if (!isUuid(integrationId)) return null;
  const rows = await db.query<IntegrationCredentials>(
    `select authorized_orgnr as "authorizedOrgnr", password_hash as "passwordHash", enabled
       from integrations.integration_credentials($1)`,
    [integrationId],
  );
  return rows[0] ?? null;
}
