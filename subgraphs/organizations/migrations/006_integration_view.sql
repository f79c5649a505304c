-- What an integration sees of an organisation (issue #9 item 10): only what it was granted. Fiks gives an integration
-- access only through explicit grants (FIKS-FACTS §5), so row-level security now shows an integration the resources it
-- holds a grant on (directly or by type) and everything beneath them — not the organisation's whole tree — and, of the
-- grants and type grants, only its own. Persons who hold a grant in an organisation still see its whole tree and its
-- grants (005_row_security.sql). Matches subgraphs/organizations/permissions.ts and visibility.ts.

-- Whether the actor holds any privilege on the resource or on one above it, directly or by a type grant on the type
-- of the resource or of one above it (in the same organisation): holds_privilege without the privilege.
create function organizations.holds_any_privilege_on(p_actor_type text, p_actor_id text, p_resource_id uuid)
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
     where g.actor_type = p_actor_type and g.actor_id = p_actor_id
  ) or exists (
    select 1 from organizations.type_grant t join ancestors a on t.orgnr = a.orgnr and t.resource_type = a.type
     where t.actor_type = p_actor_type and t.actor_id = p_actor_id
  )
$$;

-- The caller is an integration (its rows are decided per resource; a person's per organisation).
create function organizations.caller_is_integration()
  returns boolean
  language sql stable
  set search_path = pg_catalog
as $$
  select coalesce(current_setting('fiks.actor_type', true), '') = 'INTEGRATION'
$$;

drop policy resource_of_member on organizations.resource;
create policy resource_for_caller on organizations.resource for select to fiks_app
  using (case when organizations.caller_is_integration()
              then organizations.holds_any_privilege_on('INTEGRATION', current_setting('fiks.actor_id', true), id)
              else orgnr in (select organizations.caller_organizations()) end);

drop policy grant_of_member on organizations.privilege_grant;
create policy grant_for_caller on organizations.privilege_grant for select to fiks_app
  using (orgnr in (select organizations.caller_organizations())
         and (not organizations.caller_is_integration()
              or (actor_type = 'INTEGRATION' and actor_id = current_setting('fiks.actor_id', true))));

drop policy type_grant_of_member on organizations.type_grant;
create policy type_grant_for_caller on organizations.type_grant for select to fiks_app
  using (orgnr in (select organizations.caller_organizations())
         and (not organizations.caller_is_integration()
              or (actor_type = 'INTEGRATION' and actor_id = current_setting('fiks.actor_id', true))));
