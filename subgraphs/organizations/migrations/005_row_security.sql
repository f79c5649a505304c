-- Row-level security on the privilege store (see documents/migrations/002_row_security.sql for the mechanism): a
-- second wall under the resolvers. Queries made for a caller run as the non-superuser role fiks_app with the caller
-- in transaction-local settings (subgraphs/runtime/caller-scope.ts), and these policies decide, whatever the query
-- asks:
--   - an organisation's resource tree, grants and type grants are visible to its members only (those who hold any
--     grant or type grant in it — the resolvers' isMemberOf), so a resolver bug cannot read another tenant's rows;
--   - a resource, grant or type grant is created or removed only by an administrator of where it applies, and a
--     resource or grant must belong to the organisation of the resource it hangs on;
--   - organisations (public register data: number and name) are readable by every caller; they are created only
--     through organizations.create_organization, which requires a platform operator. The operator list itself is
--     read only through is_platform_operator.
-- The migration owner (migrations, the demo seed, the security-definer functions) is unaffected.
-- The role fiks_app is created by the migration runner (db/migrations.ts) before any migration runs.
grant usage on schema organizations to fiks_app;
grant select on organizations.organization to fiks_app;
grant select, insert on organizations.resource to fiks_app;
grant select, insert, delete on organizations.privilege_grant, organizations.type_grant to fiks_app;

-- The organisations the caller is a member of. Used as `orgnr in (select ...)`: an uncorrelated sub-select, evaluated
-- once per statement, not once per row.
create function organizations.caller_organizations()
  returns setof bpchar
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select g.orgnr from organizations.privilege_grant g
   where g.actor_type = current_setting('fiks.actor_type', true)
     and g.actor_id = current_setting('fiks.actor_id', true)
  union
  select t.orgnr from organizations.type_grant t
   where t.actor_type = current_setting('fiks.actor_type', true)
     and t.actor_id = current_setting('fiks.actor_id', true)
$$;

-- Whether the caller holds the privilege on the resource (organizations.holds_privilege for the caller).
create function organizations.caller_holds(p_privilege text, p_resource_id uuid)
  returns boolean
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select coalesce(organizations.holds_privilege(current_setting('fiks.actor_type', true),
                                                current_setting('fiks.actor_id', true), p_privilege, p_resource_id),
                  false)
$$;

alter table organizations.organization enable row level security;
create policy organization_register on organizations.organization for select to fiks_app using (true);

alter table organizations.resource enable row level security;
create policy resource_of_member on organizations.resource for select to fiks_app
  using (orgnr in (select organizations.caller_organizations()));
create policy resource_created_by_admin on organizations.resource for insert to fiks_app
  with check (parent_id is not null and organizations.caller_holds('ADMIN', parent_id)
              and orgnr = organizations.organization_of_resource(parent_id));

alter table organizations.privilege_grant enable row level security;
create policy grant_of_member on organizations.privilege_grant for select to fiks_app
  using (orgnr in (select organizations.caller_organizations()));
create policy grant_made_by_admin on organizations.privilege_grant for insert to fiks_app
  with check (organizations.caller_holds('ADMIN', resource_id)
              and orgnr = organizations.organization_of_resource(resource_id));
create policy grant_revoked_by_admin on organizations.privilege_grant for delete to fiks_app
  using (organizations.caller_holds('ADMIN', resource_id));

alter table organizations.type_grant enable row level security;
create policy type_grant_of_member on organizations.type_grant for select to fiks_app
  using (orgnr in (select organizations.caller_organizations()));
create policy type_grant_made_by_admin on organizations.type_grant for insert to fiks_app
  with check (organizations.caller_holds('ADMIN', organizations.root_resource_of(orgnr)));
create policy type_grant_revoked_by_admin on organizations.type_grant for delete to fiks_app
  using (organizations.caller_holds('ADMIN', organizations.root_resource_of(orgnr)));

-- Creating an organisation: the one write that makes the caller no member of what it creates, so it cannot go
-- through the policies above. Only a platform operator may; the new organisation gets its root resource and one
-- administrator (ADMIN on the root). No row when the organisation exists already.
create function organizations.create_organization(p_orgnr char(9), p_name text, p_administrator_pid text)
  returns table (root_resource_id uuid, grant_id uuid, granted_at timestamptz)
  language plpgsql volatile security definer
  set search_path = pg_catalog
as $$
declare
  v_root uuid;
begin
  if not organizations.is_platform_operator(current_setting('fiks.actor_type', true),
                                            current_setting('fiks.actor_id', true)) then
    raise exception 'only a platform operator creates organisations' using errcode = 'insufficient_privilege';
  end if;
  insert into organizations.organization (orgnr, name) values (p_orgnr, p_name) on conflict (orgnr) do nothing;
  if not found then
    return;
  end if;
  insert into organizations.resource (orgnr, parent_id, type, name)
    values (p_orgnr, null, 'ORGANISASJON', p_name) returning id into v_root;
  return query
    insert into organizations.privilege_grant as g (orgnr, actor_type, actor_id, privilege, resource_id)
    values (p_orgnr, 'PERSON', p_administrator_pid, 'ADMIN', v_root)
    returning v_root, g.id, g.created_at;
end
$$;
