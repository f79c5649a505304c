-- Row-level security on the audit log (see documents/migrations/002_row_security.sql for the mechanism): an event is
-- visible to the administrators of its organisation and to the person it is about — the resolvers' rule. Events are
-- written only through audit.append_event (security definer), never by the application role directly.
-- The role fiks_app is created by the migration runner (db/migrations.ts) before any migration runs.
grant usage on schema audit to fiks_app;
grant select on audit.event to fiks_app;

create function audit.caller_sees_event(p_orgnr char(9), p_data_subject text)
  returns boolean
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
declare
  v_type text := current_setting('fiks.actor_type', true);
  v_id text := current_setting('fiks.actor_id', true);
begin
  if v_type is null or v_type = '' then
    return false;
  end if;
  if v_type = 'PERSON' and p_data_subject is not null and p_data_subject = current_setting('fiks.pid', true) then
    return true;
  end if;
  if p_orgnr is null then
    return false;
  end if;
  return coalesce(organizations.holds_privilege(v_type, v_id, 'ADMIN', organizations.root_resource_of(p_orgnr)), false);
exception
  when undefined_function or undefined_table then
    return false;
end
$$;

alter table audit.event enable row level security;
create policy event_for_caller on audit.event for select to fiks_app
  using (audit.caller_sees_event(orgnr, data_subject));
