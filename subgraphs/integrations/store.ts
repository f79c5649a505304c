// The integrations subgraph's store: the only code that talks SQL to the integrations schema. IntegrationRows works
// on any connection or transaction; IntegrationsStore adds write(), which runs changes in one transaction with their
// audit events.
import { isoTimestamp } from '../../db/timestamps.ts';
import { holdsPrivilegeInOrganization, type Actor } from '../../access/privileges.ts';
import type { AuditLog } from '../runtime/audit.ts';
import type { Db, Queryable } from '../../db/database.ts';
import type { TrustedOperationLimits } from '../../common/operation-id.ts';

export interface IntegrationRow {
  id: string;
  name: string;
  description: string | null;
  ownerOrgnr: string;
  authorizedOrgnr: string;
  global: boolean;
  enabled: boolean;
  createdAt: string;
  /** 'audit' | 'safelist' | 'id-only' (migrations/005_trusted_operations.sql). */
  operationsMode: string;
  operationsVersion: number;
}

/** One registered operation of an integration. */
export interface TrustedOperationRow {
  sha256: string;
  body: string;
  name: string | null;
  limits: TrustedOperationLimits | null;
  registeredAt: string;
}

const COLUMNS = `id, name, description, owner_orgnr as "ownerOrgnr", authorized_orgnr as "authorizedOrgnr",
  global, enabled, created_at as "createdAt", operations_mode as "operationsMode",
  operations_version::int as "operationsVersion"`;

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

  async trustedOperations(integrationId: string): Promise<TrustedOperationRow[]> {
    const rows = await this.db.query<
      Omit<TrustedOperationRow, 'registeredAt'> & { registeredAt: Date | string }
    >(
      `select sha256, body, name, limits, registered_at as "registeredAt"
         from integrations.trusted_operation where integration_id = $1 order by name nulls last, sha256`,
      [integrationId],
    );
    return rows.map((r) => ({ ...r, registeredAt: isoTimestamp(r.registeredAt) }));
  }

  /** Replaces the integration's list and bumps its version; the new version, or null when the row is not the
   * caller's to change (row-level security). */
  async replaceTrustedOperations(
    integrationId: string,
    operations: readonly {
      sha256: string;
      body: string;
      name: string | null;
      limits: TrustedOperationLimits | null;
    }[],
  ): Promise<number | null> {
    const bumped = await this.db.query<{ version: number }>(
      `update integrations.integration set operations_version = operations_version + 1 where id = $1
       returning operations_version::int as version`,
      [integrationId],
    );
    if (bumped.length !== 1) return null;
    await this.db.query('delete from integrations.trusted_operation where integration_id = $1', [
      integrationId,
    ]);
    if (operations.length > 0) {
      await this.db.query(
        `insert into integrations.trusted_operation (integration_id, sha256, body, name, limits)
         select $1, o.sha256, o.body, o.name, o.limits
           from jsonb_to_recordset($2::jsonb) as o(sha256 text, body text, name text, limits jsonb)`,
        [integrationId, JSON.stringify(operations)],
      );
    }
    return bumped[0]!.version;
  }

  async setOperationsMode(id: string, mode: string): Promise<boolean> {
    const rows = await this.db.query(
      'update integrations.integration set operations_mode = $2 where id = $1 returning id',
      [id, mode],
    );
    return rows.length === 1;
  }

  async upsert(
    row: Omit<IntegrationRow, 'createdAt' | 'enabled' | 'operationsMode' | 'operationsVersion'>,
  ): Promise<void> {
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
