-- Gateways cache what integrations.integration_credentials answers (gateway/auth/credential-cache.ts). Every change to
-- what it reads — the password hash, the enabled flag, the authorised organisation, the trusted-operations mode and
-- version — or to the row's existence tells them which integration changed: pg_notify is delivered when the
-- transaction commits (and not at all when it rolls back), so a gateway evicts the entry once the change is visible.
-- The payload is the integration's id only, nothing secret; an empty payload (a truncate) means "every integration".
create function integrations.notify_integration_credentials_changed()
  returns trigger
  language plpgsql
  set search_path = pg_catalog
as $$
begin
  if tg_level = 'STATEMENT' then
    perform pg_notify('integration_credentials', '');
    return null;
  end if;
  -- Both ids when an update moves the row; the same notification twice in one transaction is delivered once.
  if tg_op <> 'INSERT' then perform pg_notify('integration_credentials', old.id::text); end if;
  if tg_op <> 'DELETE' then perform pg_notify('integration_credentials', new.id::text); end if;
  return null;
end
$$;

create trigger integration_credentials_changed
  after insert or delete or update of id, password_hash, enabled, authorized_orgnr, operations_mode, operations_version
  on integrations.integration
  for each row execute function integrations.notify_integration_credentials_changed();

create trigger integration_credentials_truncated
  after truncate on integrations.integration
  for each statement execute function integrations.notify_integration_credentials_changed();
