-- Group commit (auditlog/group-commit.ts): many requests' events appended by one statement, so one commit. The same
-- security-definer gate as audit.append_event: writers get no privilege on the table itself.
create function audit.append_events(p_events jsonb)
  returns integer
  language sql volatile security definer
  set search_path = pg_catalog
as $$
  with stored as (
    insert into audit.event (actor_type, actor_id, on_behalf_of, orgnr, service, action, data_subject, legal_basis,
                             request_id, payload)
    select e.actor_type, e.actor_id, e.on_behalf_of, e.orgnr, e.service, e.action, e.data_subject, e.legal_basis,
           e.request_id, e.payload
    from jsonb_to_recordset(p_events) as e(actor_type text, actor_id text, on_behalf_of text, orgnr char(9),
                                           service text, action text, data_subject text, legal_basis text,
                                           request_id text, payload jsonb)
    returning 1
  )
  select count(*)::integer from stored
$$;

-- Append-only for the application role, stated rather than implied: it reads under row-level security and writes
-- only through the two functions above.
revoke insert, update, delete, truncate on audit.event from fiks_app;
grant execute on function audit.append_event(text, text, text, char, text, text, text, text, text, jsonb) to fiks_app;
grant execute on function audit.append_events(jsonb) to fiks_app;
