-- The one way other subgraphs write to the audit log (subgraphs/runtime/audit.ts): they never touch audit tables.
-- Called inside the writer's own transaction, so an event commits or rolls back with the change it describes. Later
-- work (tamper evidence, e.g. a hash chain) belongs here, behind the same signature.
create function audit.append_event(
  p_actor_type   text,
  p_actor_id     text,
  p_on_behalf_of text,
  p_orgnr        char(9),
  p_service      text,
  p_action       text,
  p_data_subject text,
  p_legal_basis  text,
  p_request_id   text,
  p_payload      jsonb)
  returns uuid
  language sql volatile security definer
  set search_path = pg_catalog
as $$
  insert into audit.event (actor_type, actor_id, on_behalf_of, orgnr, service, action, data_subject, legal_basis,
                           request_id, payload)
  values (p_actor_type, p_actor_id, p_on_behalf_of, p_orgnr, p_service, p_action, p_data_subject, p_legal_basis,
          p_request_id, p_payload)
  returning id
$$;
