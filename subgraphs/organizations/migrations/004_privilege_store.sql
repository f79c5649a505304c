-- The privilege store's second half (issue #4): platform operators, type grants, and the read-only interface
-- (access/privileges.ts) taught about type grants.

-- Who may create organisations: the platform's own operators, not any organisation's administrators. Rows are added
-- by the operators of the platform (the demo seed adds one synthetic person); no API writes this table.
create table organizations.platform_operator (
  actor_type text not null check (actor_type in ('PERSON', 'INTEGRATION')),
  actor_id   text not null check (actor_id ~ '^[A-Za-zæøåÆØÅ0-9_.,/ -]+$'),
  created_at timestamptz not null default now(),
  primary key (actor_type, actor_id)
);

-- A privilege on every resource of one type in one organisation (Fiks' TypeTilgang). It counts exactly like a grant
-- made on each resource of that type, so it also applies beneath each of them (see holds_privilege).
create table organizations.type_grant (
  id            uuid primary key default gen_random_uuid(),
  orgnr         char(9) not null references organizations.organization,
  actor_type    text not null check (actor_type in ('PERSON', 'INTEGRATION')),
  actor_id      text not null check (actor_id ~ '^[A-Za-zæøåÆØÅ0-9_.,/ -]+$'),
  privilege     text not null check (privilege ~ '^[0-9A-Z_.]+$'),
  resource_type text not null check (resource_type ~ '^[0-9A-Z_.]+$'),
  created_at    timestamptz not null default now(),
  unique (orgnr, actor_type, actor_id, privilege, resource_type)
);
create index type_grant_actor on organizations.type_grant (actor_type, actor_id);

create function organizations.is_platform_operator(p_actor_type text, p_actor_id text)
  returns boolean
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select exists (
    select 1 from organizations.platform_operator o where o.actor_type = p_actor_type and o.actor_id = p_actor_id
  )
$$;

-- A grant on the resource or on any resource above it, or a type grant on the type of the resource or of any
-- resource above it (in the same organisation); ADMIN is every privilege.
create or replace function organizations.holds_privilege(
  p_actor_type text, p_actor_id text, p_privilege text, p_resource_id uuid)
  returns boolean
  language sql stable security definer
  set search_path = pg_catalog
as $$
  with recursive ancestors as (
    select r.id, r.parent_id, r.orgnr, r.type from organizations.resource r where r.id = p_resource_id
    union all
    select r.id, r.parent_id, r.orgnr, r.type from organizations.resource r join ancestors a on r.id = a.parent_id
  )
  select exists (
    select 1 from organizations.privilege_grant g join ancestors a on g.resource_id = a.id
     where g.actor_type = p_actor_type and g.actor_id = p_actor_id and g.privilege in (p_privilege, 'ADMIN')
  ) or exists (
    select 1 from organizations.type_grant t join ancestors a on t.orgnr = a.orgnr and t.resource_type = a.type
     where t.actor_type = p_actor_type and t.actor_id = p_actor_id and t.privilege in (p_privilege, 'ADMIN')
  )
$$;

-- A type grant makes its holder a member of the organisation too (may see its resource tree).
create or replace function organizations.holds_any_privilege_in(p_actor_type text, p_actor_id text, p_orgnr char(9))
  returns boolean
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select exists (
    select 1 from organizations.privilege_grant g
     where g.actor_type = p_actor_type and g.actor_id = p_actor_id and g.orgnr = p_orgnr
  ) or exists (
    select 1 from organizations.type_grant t
     where t.actor_type = p_actor_type and t.actor_id = p_actor_id and t.orgnr = p_orgnr
  )
$$;
