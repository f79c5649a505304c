-- Whether an actor administers anything at all: ADMIN on some resource (an organisation's root or one beneath it),
-- directly or by a type grant. The gateway asks it to decide who may introspect the schema in production
-- (gateway/plugins/authorization.ts); it says nothing about where.
create function organizations.administers_anything(p_actor_type text, p_actor_id text)
  returns boolean
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select exists (
    select 1 from organizations.privilege_grant g
     where g.actor_type = p_actor_type and g.actor_id = p_actor_id and g.privilege = 'ADMIN'
  ) or exists (
    select 1 from organizations.type_grant t
     where t.actor_type = p_actor_type and t.actor_id = p_actor_id and t.privilege = 'ADMIN'
  )
$$;

grant execute on function organizations.administers_anything(text, text) to fiks_app;
