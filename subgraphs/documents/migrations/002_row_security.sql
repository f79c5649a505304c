-- Row-level security: a second wall under the resolvers. Queries made for a caller run as the non-superuser role
-- fiks_app with the caller in transaction-local settings (subgraphs/runtime/caller-scope.ts); these policies then
-- show a document only to those who may see it, whatever the query asks. The migration owner (and the seed) are
-- unaffected. Visibility matches subgraphs/documents/exposure.ts and the resolvers' `visible()`.
-- The role fiks_app is created by the migration runner (db/migrations.ts) before any migration runs.
grant usage on schema documents to fiks_app;
grant select, insert, update, delete on documents.document, documents.exposure to fiks_app;

-- plpgsql, not sql: its body is checked when it runs, so this subgraph's migrations do not need the organizations
-- schema to exist (a subgraph started alone on its own database); without it nobody but an exposure sees anything.
create function documents.caller_sees(p_id uuid, p_orgnr char(9))
  returns boolean
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
declare
  v_type text := current_setting('fiks.actor_type', true);
  v_id text := current_setting('fiks.actor_id', true);
  v_pid text := current_setting('fiks.pid', true);
  v_acting_for text := current_setting('fiks.acting_for', true);
begin
  if v_type is null or v_type = '' then
    return false;
  end if;
  if exists (
    select 1 from documents.exposure e
     where e.document_id = p_id
       and ((e.kind = 'PERSON' and v_type = 'PERSON' and e.value = v_pid)
         or (e.kind = 'INTEGRATION' and v_type = 'INTEGRATION' and e.value = v_id)
         or (e.kind = 'ORGANIZATION' and v_type = 'PERSON' and e.value = v_acting_for)
         or (e.kind = 'AUTHORIZATION' and organizations.holds_privilege(
               v_type, v_id, split_part(e.value, '@', 1), nullif(split_part(e.value, '@', 2), '')::uuid)))
  ) then
    return true;
  end if;
  return coalesce(organizations.holds_privilege(v_type, v_id, 'ADMIN', organizations.root_resource_of(p_orgnr)), false);
exception
  when undefined_function or undefined_table or invalid_text_representation then
    return false;
end
$$;

create function documents.caller_sees_document(p_id uuid)
  returns boolean
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
begin
  return documents.caller_sees(p_id, (select d.orgnr from documents.document d where d.id = p_id));
end
$$;

alter table documents.document enable row level security;
create policy document_for_caller on documents.document to fiks_app
  using (documents.caller_sees(id, orgnr)) with check (true);

alter table documents.exposure enable row level security;
create policy exposure_for_caller on documents.exposure to fiks_app
  using (documents.caller_sees_document(document_id)) with check (true);
