// Changes to the privilege store, on one transaction (OrganizationsStore.write) together with their audit events.
import type { Actor } from '../../../access/privileges.ts';
import type { Queryable } from '../../../db/database.ts';
import {
  GRANT_COLUMNS,
  RESOURCE_COLUMNS,
  TYPE_GRANT_COLUMNS,
  withIsoDate,
  type Dated,
  type GrantRow,
  type OrganizationRow,
  type ResourceRow,
  type TypeGrantRow,
} from './rows.ts';
import { GrantReads } from './grants.ts';

export class OrganizationsWriter {
  /** Reads inside the same transaction. */
  readonly grants: GrantReads;

  constructor(private readonly tx: Queryable) {
    this.grants = new GrantReads(tx);
  }

  /** Serialises changes to one organisation's administrators until the transaction ends (the last-administrator
   * rule must not be raced by two removals at once). An advisory lock, not `select ... for update`: the
   * application role may read organisations but not update them, and row locks need the update privilege. */
  async lockOrganization(orgnr: string): Promise<void> {
    await this.tx.query('select pg_advisory_xact_lock(hashtext($1))', [`fiks-organization:${orgnr}`]);
  }

  /** Creates the organisation with its root resource and one administrator (ADMIN on the root), through the
   * privilege store's own function: the operator who creates it is no member of it, so row-level security would
   * not let the operator read back what was written. Null when the organisation exists already. */
  async insertOrganization(
    org: OrganizationRow,
    administratorPid: string,
  ): Promise<{ root: ResourceRow; administrator: GrantRow } | null> {
    const rows = await this.tx.query<{
      rootResourceId: string;
      grantId: string;
      grantedAt: Date | string;
      legalBasis: string | null;
    }>(
      `select root_resource_id as "rootResourceId", grant_id as "grantId", granted_at as "grantedAt",
              (select legal_basis from organizations.privilege_grant where id = grant_id) as "legalBasis"
         from organizations.create_organization($1, $2, $3)`,
      [org.orgnr, org.name, administratorPid],
    );
    const row = rows[0];
    if (!row) return null;
    const root = {
      id: row.rootResourceId,
      orgnr: org.orgnr,
      parentId: null,
      type: 'ORGANISASJON',
      name: org.name,
    };
    const administrator = withIsoDate({
      id: row.grantId,
      orgnr: org.orgnr,
      actorType: 'PERSON' as const,
      actorId: administratorPid,
      privilege: 'ADMIN',
      resourceId: row.rootResourceId,
      legalBasis: row.legalBasis,
      createdAt: row.grantedAt,
    });
    return { root, administrator };
  }

  async insertResource(resource: Omit<ResourceRow, 'id'>): Promise<ResourceRow> {
    const rows = await this.tx.query<ResourceRow>(
      `insert into organizations.resource (orgnr, parent_id, type, name) values ($1, $2, $3, $4)
       returning ${RESOURCE_COLUMNS}`,
      [resource.orgnr, resource.parentId, resource.type, resource.name],
    );
    return rows[0]!;
  }

  /** The new grant, or null when the actor holds exactly this grant already. */
  async insertGrant(
    grant: Omit<GrantRow, 'id' | 'createdAt' | 'legalBasis'> & { legalBasis?: string | null },
  ): Promise<GrantRow | null> {
    const rows = await this.tx.query<Dated<GrantRow>>(
      `insert into organizations.privilege_grant (orgnr, actor_type, actor_id, privilege, resource_id, legal_basis)
       values ($1, $2, $3, $4, $5, $6) on conflict do nothing returning ${GRANT_COLUMNS}`,
      [
        grant.orgnr,
        grant.actorType,
        grant.actorId,
        grant.privilege,
        grant.resourceId,
        grant.legalBasis ?? null,
      ],
    );
    return rows[0] ? withIsoDate(rows[0]) : null;
  }

  /** The deleted grant, or null when there was none (already revoked). */
  async deleteGrant(id: string): Promise<GrantRow | null> {
    const rows = await this.tx.query<Dated<GrantRow>>(
      `delete from organizations.privilege_grant where id = $1 returning ${GRANT_COLUMNS}`,
      [id],
    );
    return rows[0] ? withIsoDate(rows[0]) : null;
  }

  /** How many persons hold ADMIN on the organisation's root: its administrators. */
  async countAdministrators(orgnr: string): Promise<number> {
    const rows = await this.tx.query<{ n: number }>(
      `select count(*)::int as n from organizations.privilege_grant g
         join organizations.resource r on r.id = g.resource_id
        where g.orgnr = $1 and r.parent_id is null and g.actor_type = 'PERSON' and g.privilege = 'ADMIN'`,
      [orgnr],
    );
    return rows[0]?.n ?? 0;
  }

  /** The new type grant, or null when the actor holds exactly this type grant already. */
  async insertTypeGrant(
    grant: Omit<TypeGrantRow, 'id' | 'createdAt' | 'actorType' | 'actorId' | 'legalBasis'> & {
      actor: Actor;
      legalBasis?: string | null;
    },
  ): Promise<TypeGrantRow | null> {
    const rows = await this.tx.query<Dated<TypeGrantRow>>(
      `insert into organizations.type_grant (orgnr, actor_type, actor_id, privilege, resource_type, legal_basis)
       values ($1, $2, $3, $4, $5, $6) on conflict do nothing returning ${TYPE_GRANT_COLUMNS}`,
      [
        grant.orgnr,
        grant.actor.type,
        grant.actor.id,
        grant.privilege,
        grant.resourceType,
        grant.legalBasis ?? null,
      ],
    );
    return rows[0] ? withIsoDate(rows[0]) : null;
  }

  async deleteTypeGrant(id: string): Promise<TypeGrantRow | null> {
    const rows = await this.tx.query<Dated<TypeGrantRow>>(
      `delete from organizations.type_grant where id = $1 returning ${TYPE_GRANT_COLUMNS}`,
      [id],
    );
    return rows[0] ? withIsoDate(rows[0]) : null;
  }
}
