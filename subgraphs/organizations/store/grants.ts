// Reading the privilege store: grants, type grants, and "who may" / "what may" answers. The inheritance rules here
// are the same as organizations.holds_privilege's (migration 004): a grant applies to its resource and everything
// beneath it; a type grant applies to each resource of its type and everything beneath each; ADMIN is every privilege.
import type { Actor } from '../../../access/privileges.ts';
import type { Queryable } from '../../../db/database.ts';
import {
  GRANT_COLUMNS,
  TYPE_GRANT_COLUMNS,
  withIsoDate,
  type AuthorizationRow,
  type Dated,
  type GrantRow,
  type TypeGrantRow,
} from './rows.ts';

export class GrantReads {
  constructor(private readonly db: Queryable) {}

  private async grants(where: string, params: unknown[]): Promise<GrantRow[]> {
    const rows = await this.db.query<Dated<GrantRow>>(
      // eslint-disable-next-line fiks/no-sql-interpolation -- `where` is one of this class's fixed conditions; values are in params.
      `select ${GRANT_COLUMNS} from organizations.privilege_grant where ${where} order by created_at, id`,
      params,
    );
    return rows.map(withIsoDate);
  }

  private async typeGrants(where: string, params: unknown[]): Promise<TypeGrantRow[]> {
    const rows = await this.db.query<Dated<TypeGrantRow>>(
      // eslint-disable-next-line fiks/no-sql-interpolation -- `where` is one of this class's fixed conditions; values are in params.
      `select ${TYPE_GRANT_COLUMNS} from organizations.type_grant where ${where} order by created_at, id`,
      params,
    );
    return rows.map(withIsoDate);
  }

  async grant(id: string): Promise<GrantRow | null> {
    return (await this.grants('id = $1', [id]))[0] ?? null;
  }

  /** The actor's grant of exactly this privilege on exactly this resource, if any. */
  async grantOf(actor: Actor, privilege: string, resourceId: string): Promise<GrantRow | null> {
    const rows = await this.grants(
      'actor_type = $1 and actor_id = $2 and privilege = $3 and resource_id = $4',
      [actor.type, actor.id, privilege, resourceId],
    );
    return rows[0] ?? null;
  }

  /** Grants made directly on the resource. */
  on(resourceId: string): Promise<GrantRow[]> {
    return this.grants('resource_id = $1', [resourceId]);
  }

  /** Grants an organisation has made to integrations. */
  toIntegrationsIn(orgnr: string): Promise<GrantRow[]> {
    return this.grants(`orgnr = $1 and actor_type = 'INTEGRATION'`, [orgnr]);
  }

  async typeGrant(id: string): Promise<TypeGrantRow | null> {
    return (await this.typeGrants('id = $1', [id]))[0] ?? null;
  }

  async typeGrantOf(
    orgnr: string,
    actor: Actor,
    privilege: string,
    resourceType: string,
  ): Promise<TypeGrantRow | null> {
    const rows = await this.typeGrants(
      'orgnr = $1 and actor_type = $2 and actor_id = $3 and privilege = $4 and resource_type = $5',
      [orgnr, actor.type, actor.id, privilege, resourceType],
    );
    return rows[0] ?? null;
  }

  typeGrantsIn(orgnr: string): Promise<TypeGrantRow[]> {
    return this.typeGrants('orgnr = $1', [orgnr]);
  }

  /** Every grant that gives `privilege` (or ADMIN) on the resource: on it, above it, or by type. */
  whoMay(privilege: string, resourceId: string): Promise<AuthorizationRow[]> {
    return this.db.query<AuthorizationRow>(
      `with recursive ancestors as (
         select r.id, r.parent_id, r.orgnr, r.type, 0 as depth from organizations.resource r where r.id = $2
         union all
         select r.id, r.parent_id, r.orgnr, r.type, a.depth + 1
           from organizations.resource r join ancestors a on r.id = a.parent_id
       )
       select g.actor_type as "actorType", g.actor_id as "actorId", g.privilege, $2::uuid as "resourceId",
              case when a.depth = 0 then 'DIRECT' else 'INHERITED' end as source, a.id as "grantedOnId",
              g.id as "grantId", null::uuid as "typeGrantId", a.depth
         from organizations.privilege_grant g join ancestors a on g.resource_id = a.id
        where g.privilege in ($1, 'ADMIN')
       union all
       select t.actor_type, t.actor_id, t.privilege, $2::uuid, 'TYPE', a.id, null::uuid, t.id, a.depth
         from organizations.type_grant t join ancestors a on t.orgnr = a.orgnr and t.resource_type = a.type
        where t.privilege in ($1, 'ADMIN')
       order by 5, 9, 1, 2, 3`,
      [privilege, resourceId],
    );
  }

  /** Every resource of the organisation the actor holds a privilege on, with the grant that gives it. The tree is
   * walked from the tops the caller sees (the root, or for an integration the resources it was granted: their
   * parents are hidden from it by row-level security), so each parent still comes before its children. */
  whatMay(actor: Actor, orgnr: string): Promise<AuthorizationRow[]> {
    return this.db.query<AuthorizationRow>(
      `with recursive tree as (
         select r.id, r.name, 0 as depth from organizations.resource r
          where r.orgnr = $1
            and (r.parent_id is null
                 or not exists (select 1 from organizations.resource p where p.id = r.parent_id))
         union all
         select c.id, c.name, tree.depth + 1 from organizations.resource c join tree on c.parent_id = tree.id
       ), reach as (
         select g.resource_id as resource_id, g.resource_id as granted_on, g.privilege, 'DIRECT'::text as source,
                g.id as grant_id, null::uuid as type_grant_id
           from organizations.privilege_grant g
          where g.orgnr = $1 and g.actor_type = $2 and g.actor_id = $3
         union all
         select r.id, r.id, t.privilege, 'TYPE'::text, null::uuid, t.id
           from organizations.type_grant t
           join organizations.resource r on r.orgnr = t.orgnr and r.type = t.resource_type
          where t.orgnr = $1 and t.actor_type = $2 and t.actor_id = $3
         union all
         select c.id, reach.granted_on, reach.privilege,
                case when reach.source = 'TYPE' then 'TYPE' else 'INHERITED' end, reach.grant_id, reach.type_grant_id
           from organizations.resource c join reach on c.parent_id = reach.resource_id
       )
       select $2::text as "actorType", $3::text as "actorId", reach.privilege, reach.resource_id as "resourceId",
              reach.source, reach.granted_on as "grantedOnId", reach.grant_id as "grantId",
              reach.type_grant_id as "typeGrantId"
         from reach join tree on tree.id = reach.resource_id
        order by tree.depth, tree.name, reach.resource_id, reach.source, reach.privilege`,
      [orgnr, actor.type, actor.id],
    );
  }

  /** Whether the organisation may grant the integration anything: it owns it, or the integration is global. Asked
   * of the integrations subgraph's read-only function, never of its tables. */
  async integrationGrantableBy(integrationId: string, orgnr: string): Promise<boolean> {
    const rows = await this.db.query<{ grantable: boolean }>(
      'select integrations.integration_grantable_by($1, $2) as grantable',
      [integrationId, orgnr],
    );
    return rows[0]?.grantable === true;
  }
}
