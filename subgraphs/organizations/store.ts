// The organizations subgraph's store: the only code that talks SQL to the organizations schema, in three files —
// this one (organisations and the resource tree, transactions, the demo seed), store-grants.ts (reading grants) and
// store-writes.ts (changes, always inside a transaction with their audit events). Row shapes are in rows.ts.
import type { Actor } from '../../access/privileges.ts';
import type { AuditLog } from '../runtime/audit.ts';
import type { Db } from '../../db/database.ts';
import { GrantReads } from './store/grants.ts';
import { OrganizationsWriter } from './store/writes.ts';
import { RESOURCE_COLUMNS, type GrantRow, type OrganizationRow, type ResourceRow } from './store/rows.ts';

export type {
  ActorType,
  AuthorizationRow,
  GrantRow,
  OrganizationRow,
  ResourceRow,
  TypeGrantRow,
} from './store/rows.ts';

export class OrganizationsStore {
  readonly grants: GrantReads;

  constructor(private readonly db: Db) {
    this.grants = new GrantReads(db);
  }

  /** Runs fn in one transaction, with `audit` recording on it: the changes and their audit events commit together,
   * and a failed audit write rolls the changes back. */
  write<T>(audit: AuditLog, fn: (tx: OrganizationsWriter, audit: AuditLog) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new OrganizationsWriter(tx), audit.on(tx)));
  }

  async organization(orgnr: string): Promise<OrganizationRow | null> {
    const rows = await this.db.query<OrganizationRow>(
      'select orgnr, name from organizations.organization where orgnr = $1',
      [orgnr],
    );
    return rows[0] ?? null;
  }

  /** The organisations an actor holds any grant in, on a resource or by type. */
  organizationsOf(actor: Actor): Promise<OrganizationRow[]> {
    return this.db.query<OrganizationRow>(
      `select o.orgnr, o.name from organizations.organization o
        where o.orgnr in (select g.orgnr from organizations.privilege_grant g
                           where g.actor_type = $1 and g.actor_id = $2
                          union
                          select t.orgnr from organizations.type_grant t
                           where t.actor_type = $1 and t.actor_id = $2)
        order by o.name`,
      [actor.type, actor.id],
    );
  }

  async resource(id: string): Promise<ResourceRow | null> {
    const rows = await this.db.query<ResourceRow>(
      `select ${RESOURCE_COLUMNS} from organizations.resource where id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async rootResource(orgnr: string): Promise<ResourceRow | null> {
    const rows = await this.db.query<ResourceRow>(
      `select ${RESOURCE_COLUMNS} from organizations.resource where orgnr = $1 and parent_id is null`,
      [orgnr],
    );
    return rows[0] ?? null;
  }

  /** Every resource of an organisation, each parent before its children. */
  resources(orgnr: string): Promise<ResourceRow[]> {
    return this.db.query<ResourceRow>(
      `with recursive tree as (
         select r.*, 0 as depth from organizations.resource r where r.orgnr = $1 and r.parent_id is null
         union all
         select c.*, tree.depth + 1 from organizations.resource c join tree on c.parent_id = tree.id
       )
       select ${RESOURCE_COLUMNS} from tree order by depth, name`,
      [orgnr],
    );
  }

  /** Every resource beneath one, each parent before its children. */
  descendants(id: string): Promise<ResourceRow[]> {
    return this.db.query<ResourceRow>(
      `with recursive tree as (
         select c.*, 1 as depth from organizations.resource c where c.parent_id = $1
         union all
         select c.*, tree.depth + 1 from organizations.resource c join tree on c.parent_id = tree.id
       )
       select ${RESOURCE_COLUMNS} from tree order by depth, name`,
      [id],
    );
  }

  children(parentId: string): Promise<ResourceRow[]> {
    return this.db.query<ResourceRow>(
      `select ${RESOURCE_COLUMNS} from organizations.resource where parent_id = $1 order by name`,
      [parentId],
    );
  }

  // The demo seed (idempotent); the API changes data only through write().

  async upsertOrganization(org: OrganizationRow, rootResourceId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        'insert into organizations.organization (orgnr, name) values ($1, $2) on conflict (orgnr) do nothing',
        [org.orgnr, org.name],
      );
      await tx.query(
        `insert into organizations.resource (id, orgnr, parent_id, type, name)
         values ($1, $2, null, 'ORGANISASJON', $3) on conflict do nothing`,
        [rootResourceId, org.orgnr, org.name],
      );
    });
  }

  async upsertResource(resource: ResourceRow): Promise<void> {
    await this.db.query(
      `insert into organizations.resource (id, orgnr, parent_id, type, name) values ($1, $2, $3, $4, $5)
       on conflict (id) do nothing`,
      [resource.id, resource.orgnr, resource.parentId, resource.type, resource.name],
    );
  }

  async upsertGrant(
    grant: Omit<GrantRow, 'id' | 'createdAt' | 'legalBasis'> & { legalBasis?: string | null },
  ): Promise<void> {
    await this.db.query(
      `insert into organizations.privilege_grant (orgnr, actor_type, actor_id, privilege, resource_id, legal_basis)
       values ($1, $2, $3, $4, $5, $6) on conflict do nothing`,
      [
        grant.orgnr,
        grant.actorType,
        grant.actorId,
        grant.privilege,
        grant.resourceId,
        grant.legalBasis ?? null,
      ],
    );
  }

  async upsertPlatformOperator(actor: Actor): Promise<void> {
    await this.db.query(
      `insert into organizations.platform_operator (actor_type, actor_id) values ($1, $2) on conflict do nothing`,
      [actor.type, actor.id],
    );
  }
}
