-- Row-level security on integrations (see documents/migrations/002_row_security.sql for the mechanism). Visibility is
-- the resolvers' `visible()`: an integration is seen by the administrators of the organisation that owns it, by
-- itself, and — when global — by any person who administers an organisation. Only the owner's administrators create
-- it or change it. Column privileges narrow the application role further: it never reads a password hash (only
-- integration_credentials, the gateway's security-definer function, does), and it cannot set an integration's id,
-- owner, organisation binding or global flag after the fact.
-- The role fiks_app is created by the migration runner (db/migrations.ts) before any migration runs.
grant usage on schema integrations to fiks_app;
grant select (id, name, description, owner_orgnr, authorized_orgnr, global, enabled, created_at, password_changed_at)
  on integrations.integration to fiks_app;
grant insert (name, description, owner_orgnr, authorized_orgnr, password_hash, password_changed_at)
  on integrations.integration to fiks_app;
grant update (password_hash, password_changed_at, enabled) on integrations.integration to fiks_app;

-- plpgsql, not sql: checked when it runs, so this subgraph still migrates alone, without the organizations schema
-- (and then shows nothing but an integration itself).
create function integrations.caller_administers(p_orgnr char(9))
  returns boolean
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
declare
  v_type text := current_setting('fiks.actor_type', true);
  v_id text := current_setting('fiks.actor_id', true);
begin
  if v_type is distinct from 'PERSON' then
    return false;
  end if;
  return coalesce(organizations.holds_privilege(v_type, v_id, 'ADMIN', organizations.root_resource_of(p_orgnr)), false);
exception
  when undefined_function or undefined_table then
    return false;
end
$$;

create function integrations.caller_sees(p_id uuid, p_owner_orgnr char(9), p_global boolean)
  returns boolean
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
declare
  v_type text := current_setting('fiks.actor_type', true);
  v_id text := current_setting('fiks.actor_id', true);
begin
  if v_type = 'INTEGRATION' and v_id = p_id::text then
    return true;
  end if;
  if v_type is distinct from 'PERSON' then
    return false;
  end if;
  if integrations.caller_administers(p_owner_orgnr) then
    return true;
  end if;
  return p_global and coalesce(organizations.administers_any_organization(v_type, v_id), false);
exception
  when undefined_function or undefined_table then
    return false;
end
$$;

alter table integrations.integration enable row level security;
create policy integration_for_caller on integrations.integration for select to fiks_app
  using (integrations.caller_sees(id, owner_orgnr, global));
create policy integration_created_by_owner on integrations.integration for insert to fiks_app
  with check (integrations.caller_administers(owner_orgnr));
create policy integration_changed_by_owner on integrations.integration for update to fiks_app
  using (integrations.caller_administers(owner_orgnr))
  with check (integrations.caller_administers(owner_orgnr));
