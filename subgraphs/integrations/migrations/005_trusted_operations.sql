-- Trusted operations (issue #12): each integration's own list of registered operations, the mode its calls are held
-- to, and a version the gateway caches the list under. Registering replaces the list and bumps the version, so every
-- gateway replica sees the new list at the integration's next call: the credential check it already makes per
-- request returns the version (integration_credentials below), and a replica loads the list only for a version it
-- has not seen.
alter table integrations.integration
  add column operations_mode text not null default 'safelist'
    check (operations_mode in ('audit', 'safelist', 'id-only'));
alter table integrations.integration add column operations_version bigint not null default 0;

create table integrations.trusted_operation (
  integration_id uuid not null references integrations.integration (id) on delete cascade,
  -- The SHA-256 of the body in lower-case hex: the id clients send (extensions.persistedQuery.sha256Hash, documentId).
  sha256         char(64) not null check (sha256 ~ '^[0-9a-f]{64}$'),
  body           text not null check (length(body) between 1 and 100000),
  name           text check (length(name) between 1 and 200),
  -- Limits above the gateway's defaults for this operation (gateway/plugins/operation-limits.ts), or null.
  limits         jsonb,
  registered_at  timestamptz not null default now(),
  primary key (integration_id, sha256)
);

grant select (operations_mode, operations_version) on integrations.integration to fiks_app;
grant update (operations_mode, operations_version) on integrations.integration to fiks_app;
grant select, insert, delete on integrations.trusted_operation to fiks_app;

-- The same visibility as the integration's row: its owner's administrators and the integration itself read the list;
-- only the owner's administrators change it.
create function integrations.owner_of(p_id uuid)
  returns char(9)
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select i.owner_orgnr from integrations.integration i where i.id = p_id
$$;

alter table integrations.trusted_operation enable row level security;
create policy trusted_operation_for_caller on integrations.trusted_operation for select to fiks_app
  using (
    (current_setting('fiks.actor_type', true) = 'INTEGRATION'
      and current_setting('fiks.actor_id', true) = integration_id::text)
    or integrations.caller_administers(integrations.owner_of(integration_id))
  );
create policy trusted_operation_added_by_owner on integrations.trusted_operation for insert to fiks_app
  with check (integrations.caller_administers(integrations.owner_of(integration_id)));
create policy trusted_operation_removed_by_owner on integrations.trusted_operation for delete to fiks_app
  using (integrations.caller_administers(integrations.owner_of(integration_id)));

-- The gateway's credential check learns the integration's operations mode and list version in the same call.
drop function integrations.integration_credentials(uuid);
create function integrations.integration_credentials(p_id uuid)
  returns table (authorized_orgnr char(9), password_hash text, enabled boolean, operations_mode text,
                 operations_version bigint)
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select i.authorized_orgnr, i.password_hash, i.enabled, i.operations_mode, i.operations_version
    from integrations.integration i where i.id = p_id
$$;

-- The gateway's only read of the lists: one integration's operations, with the version they belong to.
create function integrations.integration_operations(p_id uuid)
  returns table (version bigint, sha256 char(64), body text, name text, limits jsonb)
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select i.operations_version, o.sha256, o.body, o.name, o.limits
    from integrations.integration i
    join integrations.trusted_operation o on o.integration_id = i.id
   where i.id = p_id
$$;
