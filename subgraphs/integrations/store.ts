// The integrations subgraph's store: the only code that talks SQL to the integrations schema. IntegrationRows works
// on any connection or transaction; IntegrationsStore adds write(), which runs changes in one transaction with their
// audit events.
import { isoTimestamp } from '../../db/timestamps.ts';
import { holdsPrivilegeInOrganization, type Actor } from '../../access/privileges.ts';
import type { AuditLog } from '../runtime/audit.ts';
import type { Db, Queryable } from '../../db/database.ts';

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
  return { ...r, createdAt: isoTimestamp(r.createdAt) };
}

export class IntegrationRows {
  constructor(protected readonly db: Queryable) {}

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

  /** Whether actor administers (holds ADMIN on the root of) the organisation, asked of the privilege store. */
  administers(actor: Actor, orgnr: string): Promise<boolean> {
    return holdsPrivilegeInOrganization(this.db, actor, 'ADMIN', orgnr);
  }

  async create(row: {
    name: string;
    description: string | null;
    ownerOrgnr: string;
    authorizedOrgnr: string;
    passwordHash: string;
  }): Promise<IntegrationRow> {
    const rows = await this.db.query<IntegrationRow>(
      `insert into integrations.integration (name, description, owner_orgnr, authorized_orgnr, password_hash, password_changed_at)
       values ($1, $2, $3, $4, $5, now()) returning ${COLUMNS}`,
      [row.name, row.description, row.ownerOrgnr, row.authorizedOrgnr, row.passwordHash],
    );
    return toRow(rows[0]!);
  }

  /** Stores a new password hash; the old password stops working at once. */
  async setPasswordHash(id: string, passwordHash: string): Promise<boolean> {
    const rows = await this.db.query(
      `update integrations.integration set password_hash = $2, password_changed_at = now() where id = $1 returning id`,
      [id, passwordHash],
    );
    return rows.length === 1;
  }

  async setEnabled(id: string, enabled: boolean): Promise<boolean> {
    const rows = await this.db.query(
      'update integrations.integration set enabled = $2 where id = $1 returning id',
      [id, enabled],
    );
    return rows.length === 1;
  }

  async upsert(row: Omit<IntegrationRow, 'createdAt' | 'enabled'>): Promise<void> {
    await this.db.query(
      `insert into integrations.integration (id, name, description, owner_orgnr, authorized_orgnr, global)
       values ($1, $2, $3, $4, $5, $6) on conflict (id) do nothing`,
      [row.id, row.name, row.description, row.ownerOrgnr, row.authorizedOrgnr, row.global],
    );
  }
}

export class IntegrationsStore extends IntegrationRows {
  constructor(private readonly database: Db) {
    super(database);
  }

  /** Runs fn in one transaction, with `audit` recording on it: a change commits with its audit event or not at all. */
  write<T>(audit: AuditLog, fn: (tx: IntegrationRows, audit: AuditLog) => Promise<T>): Promise<T> {
    return this.database.transaction((tx) => fn(new IntegrationRows(tx), audit.on(tx)));
  }
}
