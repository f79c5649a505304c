// The integrations subgraph's store: the only code that talks SQL to the integrations schema.
import type { Db } from '../runtime/database.ts';

export interface IntegrationRow {
  id: string;
  name: string;
  description: string | null;
  ownerOrgnr: string;
  authorizedOrgnr: string;
  global: boolean;
  enabled: boolean;
  createdAt: string;
}

const COLUMNS = `id, name, description, owner_orgnr as "ownerOrgnr", authorized_orgnr as "authorizedOrgnr",
  global, enabled, created_at as "createdAt"`;

function toRow(r: Omit<IntegrationRow, 'createdAt'> & { createdAt: Date | string }): IntegrationRow {
  return { ...r, createdAt: r.createdAt instanceof Date ? r.createdAt.toISOString() : r.createdAt };
}

export class IntegrationsStore {
  constructor(private readonly db: Db) {}

  async integration(id: string): Promise<IntegrationRow | null> {
    const rows = await this.db.query<IntegrationRow>(
      `select ${COLUMNS} from integrations.integration where id = $1`,
      [id],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  async ownedBy(orgnr: string): Promise<IntegrationRow[]> {
    const rows = await this.db.query<IntegrationRow>(
      `select ${COLUMNS} from integrations.integration where owner_orgnr = $1 order by name`,
      [orgnr],
    );
    return rows.map(toRow);
  }

  async upsert(row: Omit<IntegrationRow, 'createdAt' | 'enabled'>): Promise<void> {
    await this.db.query(
      `insert into integrations.integration (id, name, description, owner_orgnr, authorized_orgnr, global)
       values ($1, $2, $3, $4, $5, $6) on conflict (id) do nothing`,
      [row.id, row.name, row.description, row.ownerOrgnr, row.authorizedOrgnr, row.global],
    );
  }
}
