-- The read-only interface other parts of the platform ask "may actor A do P on resource R?" through
-- (access/privileges.ts). A grant applies to its resource and everything beneath it; ADMIN is every privilege.
create function organizations.holds_privilege(p_actor_type text, p_actor_id text, p_privilege text, p_resource_id uuid)
  returns boolean
  language sql stable security definer
  set search_path = pg_catalog
as $$
  with recursive ancestors as (
    select r.id, r.parent_id from organizations.resource r where r.id = p_resource_id
    union all
    select r.id, r.parent_id from organizations.resource r join ancestors a on r.id = a.parent_id
  )
  select exists (
    select 1 from organizations.privilege_grant g join ancestors a on g.resource_id = a.id
     where g.actor_type = p_actor_type and g.actor_id = p_actor_id and g.privilege in (p_privilege, 'ADMIN')
  )
$$;

-- The root resource of an organisation: holding a privilege there holds it in the whole organisation.
create function organizations.root_resource_of(p_orgnr char(9))
  returns uuid
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select r.id from organizations.resource r where r.orgnr = p_orgnr and r.parent_id is null
$$;
