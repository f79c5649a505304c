-- More of the read-only interface (access/privileges.ts): whether an actor holds any grant in an organisation
-- (may see its resource tree), and which organisation a resource belongs to.
create function organizations.holds_any_privilege_in(p_actor_type text, p_actor_id text, p_orgnr char(9))
  returns boolean
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select exists (
    select 1 from organizations.privilege_grant g
     where g.actor_type = p_actor_type and g.actor_id = p_actor_id and g.orgnr = p_orgnr
  )
$$;

create function organizations.organization_of_resource(p_id uuid)
  returns char(9)
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select r.orgnr from organizations.resource r where r.id = p_id
$$;

-- Whether an actor administers any organisation (global integrations are visible to every organisation).
create function organizations.administers_any_organization(p_actor_type text, p_actor_id text)
  returns boolean
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select exists (
    select 1 from organizations.privilege_grant g join organizations.resource r on r.id = g.resource_id
     where g.actor_type = p_actor_type and g.actor_id = p_actor_id and g.privilege = 'ADMIN' and r.parent_id is null
  )
$$;
