-- The legal basis (lovhjemmel) of a grant (issue #10, item 3): a grant that opens other persons' data carries the law
-- that allows it, set by the administrator who grants it, and every audited read through the grant names it. A read of
-- another person's data through grants that carry none is refused.
--
-- Administrators (ADMIN) get the basis of administering access when none is given: the municipality's duty to
-- control who may see what (internkontroll). It is stated on the grant, not assumed at read time, so an
-- administrator may also be appointed on a narrower basis.
alter table organizations.privilege_grant
  add column legal_basis text check (legal_basis ~ '^[^\x00-\x1f\x7f]{3,200}$');
alter table organizations.type_grant
  add column legal_basis text check (legal_basis ~ '^[^\x00-\x1f\x7f]{3,200}$');

create function organizations.administration_legal_basis()
  returns text
  language sql immutable
  set search_path = pg_catalog
as $$ select 'personvernforordningen art. 6 nr. 1 bokstav e, jf. kommuneloven § 25-1 (internkontroll: tilgangsstyring)' $$;

create function organizations.grant_default_legal_basis()
  returns trigger
  language plpgsql
  set search_path = pg_catalog
as $$
begin
  if new.legal_basis is null and new.privilege = 'ADMIN' then
    new.legal_basis := organizations.administration_legal_basis();
  end if;
  return new;
end
$$;
create trigger privilege_grant_legal_basis before insert on organizations.privilege_grant
  for each row execute function organizations.grant_default_legal_basis();
create trigger type_grant_legal_basis before insert on organizations.type_grant
  for each row execute function organizations.grant_default_legal_basis();

update organizations.privilege_grant set legal_basis = organizations.administration_legal_basis()
 where privilege = 'ADMIN' and legal_basis is null;
update organizations.type_grant set legal_basis = organizations.administration_legal_basis()
 where privilege = 'ADMIN' and legal_basis is null;

-- The legal basis under which the actor reaches the resource: of the grants it holds on the resource or above it,
-- or by type on its type or a type above it, the nearest one that carries a basis (direct before inherited, a grant
-- before a type grant). Null when no grant of the actor that reaches the resource carries one.
create function organizations.legal_basis_for(p_actor_type text, p_actor_id text, p_resource_id uuid)
  returns text
  language sql stable security definer
  set search_path = pg_catalog
as $$
  with recursive ancestors as (
    select r.id, r.parent_id, r.orgnr, r.type, 0 as depth from organizations.resource r where r.id = p_resource_id
    union all
    select r.id, r.parent_id, r.orgnr, r.type, a.depth + 1
      from organizations.resource r join ancestors a on r.id = a.parent_id
  ), candidates as (
    select g.legal_basis, a.depth, 0 as kind, g.created_at
      from organizations.privilege_grant g join ancestors a on g.resource_id = a.id
     where g.actor_type = p_actor_type and g.actor_id = p_actor_id and g.legal_basis is not null
    union all
    select t.legal_basis, a.depth, 1 as kind, t.created_at
      from organizations.type_grant t join ancestors a on t.orgnr = a.orgnr and t.resource_type = a.type
     where t.actor_type = p_actor_type and t.actor_id = p_actor_id and t.legal_basis is not null
  )
  select legal_basis from candidates order by depth, kind, created_at limit 1
$$;

grant execute on function organizations.legal_basis_for(text, text, uuid) to fiks_app;
