-- What the privilege store (organizations subgraph) may ask of this schema before an organisation grants an
-- integration a privilege: whether that organisation owns the integration, or the integration is global (visible to
-- every organisation, with no access anywhere until granted). Read-only; nothing else of this schema is exposed.
create function integrations.integration_grantable_by(p_id uuid, p_orgnr char(9))
  returns boolean
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select exists (
    select 1 from integrations.integration i where i.id = p_id and (i.owner_orgnr = p_orgnr or i.global)
  )
$$;
