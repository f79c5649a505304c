-- Security level 4 means a high login (issue #9 item 7): row-level security shows a document only to a caller whose
-- login meets its security level (FIKS-FACTS §6 sikkerhetsniva 3|4; §3: Level3 = idporten-loa-substantial,
-- Level4 = idporten-loa-high), on top of who it is exposed to (002_row_security.sql). The caller's level arrives in the
-- transaction-local setting fiks.acr (subgraphs/runtime/caller-scope.ts): the person's login, or that of the person
-- an integration calls for; empty for an integration calling with its Maskinporten token, which meets every level.
-- Matches access/security-level.ts.

create function documents.caller_meets_level(p_level smallint)
  returns boolean
  language plpgsql stable
  set search_path = pg_catalog
as $$
declare
  v_type text := current_setting('fiks.actor_type', true);
  v_acr text := coalesce(current_setting('fiks.acr', true), '');
  v_ranks text[] := array['idporten-loa-low', 'idporten-loa-substantial', 'idporten-loa-high'];
  v_required text := case p_level when 3 then 'idporten-loa-substantial' when 4 then 'idporten-loa-high' end;
begin
  if v_required is null or v_type is null or v_type = '' then
    return false;
  end if;
  if v_acr = '' then
    return v_type = 'INTEGRATION';
  end if;
  return coalesce(array_position(v_ranks, v_acr) >= array_position(v_ranks, v_required), false);
end
$$;

-- An exposure row is visible with its document, so with the document's level too.
create or replace function documents.caller_sees_document(p_id uuid)
  returns boolean
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
declare
  v_orgnr char(9);
  v_level smallint;
begin
  select d.orgnr, d.security_level into v_orgnr, v_level from documents.document d where d.id = p_id;
  if not found then
    return false;
  end if;
  return documents.caller_sees(p_id, v_orgnr) and documents.caller_meets_level(v_level);
end
$$;

drop policy document_for_caller on documents.document;
create policy document_for_caller on documents.document to fiks_app
  using (documents.caller_sees(id, orgnr) and documents.caller_meets_level(security_level)) with check (true);

-- The level of a document the caller would see after a stronger login; null when there is no such document, or the
-- caller would not see it at any level (no existence leak). Lets the resolver ask for a step-up on a row the
-- policies hide.
create function documents.step_up_level(p_id uuid)
  returns smallint
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
declare
  v_orgnr char(9);
  v_level smallint;
begin
  select d.orgnr, d.security_level into v_orgnr, v_level from documents.document d where d.id = p_id;
  if not found or documents.caller_meets_level(v_level) or not documents.caller_sees(p_id, v_orgnr) then
    return null;
  end if;
  return v_level;
end
$$;
