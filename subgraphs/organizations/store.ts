// The organizations subgraph's store: the only code that talks SQL to the organizations schema.
import type { Actor } from '../../access/privileges.ts';
import type { Db } from '../runtime/database.ts';

export interface OrganizationRow {
  orgnr: string;
  name: string;
}
export interface ResourceRow {
  id: string;
  orgnr: string;
  parentId: string | null;
  type: string;
  name: string;
}
export interface GrantRow {
  id: string;
  orgnr: string;
  actorType: 'PERSON' | 'INTEGRATION';
  actorId: string;
  privilege: string;
  resourceId: string;
  createdAt: string;
}

const RESOURCE_COLUMNS = 'id, orgnr, parent_id as "parentId", type, name';
const GRANT_COLUMNS =
  'id, orgnr, actor_type as "actorType", actor_id as "actorId", privilege, resource_id as "resourceId", created_at as "createdAt"';

export class OrganizationsStore {
  constructor(private readonly db: Db) {}

  async organization(orgnr: string): Promise<OrganizationRow | null> {
    const rows = await this.db.query<OrganizationRow>(
      'select orgnr, name from organizations.organization where orgnr = $1',
      [orgnr],
    );
    return rows[0] ?? null;
  }

  /** The organisations an actor holds any grant in. */
  organizationsOf(actor: Actor): Promise<OrganizationRow[]> {
    return this.db.query<OrganizationRow>(
      `select o.orgnr, o.name from organizations.organization o
        where exists (select 1 from organizations.privilege_grant g
                       where g.orgnr = o.orgnr and g.actor_type = $1 and g.actor_id = $2)
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

  children(parentId: string): Promise<ResourceRow[]> {
    return this.db.query<ResourceRow>(
      `select ${RESOURCE_COLUMNS} from organizations.resource where parent_id = $1 order by name`,
      [parentId],
    );
  }

  async grantsOn(resourceId: string): Promise<GrantRow[]> {
    const rows = await this.db.query<GrantRow & { createdAt: Date }>(
      `select ${GRANT_COLUMNS} from organizations.privilege_grant where resource_id = $1 order by created_at, id`,
      [resourceId],
    );
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  }

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

  async upsertGrant(grant: Omit<GrantRow, 'id' | 'createdAt'>): Promise<void> {
    await this.db.query(
      `insert into organizations.privilege_grant (orgnr, actor_type, actor_id, privilege, resource_id)
       values ($1, $2, $3, $4, $5) on conflict do nothing`,
      [grant.orgnr, grant.actorType, grant.actorId, grant.privilege, grant.resourceId],
    );
  }
}
