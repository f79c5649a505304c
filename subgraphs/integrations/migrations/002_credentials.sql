-- Integration passwords (scrypt hashes only) and the read-only interface the gateway checks credentials through.
alter table integrations.integration add column password_hash text;
alter table integrations.integration add column password_changed_at timestamptz;

-- The gateway's only view of this schema: what it needs to authenticate one integration, nothing else.
create function integrations.integration_credentials(p_id uuid)
  returns table (authorized_orgnr char(9), password_hash text, enabled boolean)
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select i.authorized_orgnr, i.password_hash, i.enabled from integrations.integration i where i.id = p_id
$$;
