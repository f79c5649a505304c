-- Tamper evidence (issue #10 items 6-8; docs/AUDIT-LOG.md). Events form a Merkle tree as in RFC 9162 §2.1; the
-- checkpointer (subgraphs/audit/checkpointer.ts), running as the owner, gives committed events their leaf index in
-- seq order, stores their leaf hashes and the tree's completed nodes, and a signed checkpoint of the tree. Nothing
-- here has a foreign key to audit.event: retention (item 8) deletes an event's content and keeps its hash.

-- One row per event in the tree. The salt is random per event; each field holding a person's data enters the leaf
-- as a commitment salted from it (canonical-event.ts), so a proof can open one field and keep another person's
-- fødselsnummer closed. The application role never reads the salt itself (column grants below).
create table audit.leaf (
  leaf_index bigint primary key check (leaf_index >= 0),
  event_id   uuid not null unique,
  salt       bytea not null check (length(salt) = 32),
  leaf_hash  bytea not null check (length(leaf_hash) = 32)
);

-- The hash of every complete subtree of 2^level leaves (level 0 is audit.leaf): any inclusion or consistency proof
-- and the next checkpoint's frontier are a few lookups here, never a read of every leaf.
create table audit.node (
  level      smallint not null check (level between 1 and 62),
  node_index bigint not null check (node_index >= 0),
  hash       bytea not null check (length(hash) = 32),
  primary key (level, node_index)
);

-- A signed tree head. seq_floor: every event with seq <= seq_floor is in the tree (or was rolled back), so the next
-- checkpoint looks only above it.
create table audit.checkpoint (
  tree_size  bigint primary key check (tree_size > 0),
  root_hash  bytea not null check (length(root_hash) = 32),
  issued_at  timestamptz not null,
  key_id     text not null,
  signature  bytea not null,
  seq_floor  bigint not null
);

-- An event's fields as the canonical event spells them (canonical-event.ts): the time as text in UTC with its
-- microseconds, the payload as PostgreSQL's own jsonb text, so that nothing passes through a JavaScript Date or
-- number. Only the owner reads it; the application role reaches it through the functions below.
create view audit.canonical_event as
  select e.seq, e.id, e.id::text as id_text,
         to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as occurred_at,
         e.actor_type, e.actor_id, e.on_behalf_of, e.orgnr::text as orgnr, e.service, e.action, e.data_subject,
         e.legal_basis, e.request_id, e.payload::text as payload
  from audit.event e;

-- Append-only for the application role: it reads, and writes nothing in this schema (test/audit/tamper-append-only).
grant select (leaf_index, event_id, leaf_hash) on audit.leaf to fiks_app;
grant select on audit.node, audit.checkpoint to fiks_app;
revoke insert, update, delete, truncate on audit.leaf, audit.node, audit.checkpoint from fiks_app;

-- Not the application role: the owner (migrations, the checkpointer, `npm run audit:verify`). Inside a security
-- definer function current_user is the owner; the role the caller switched to is still in the `role` setting.
create function audit.caller_is_owner()
  returns boolean
  language sql stable
  set search_path = pg_catalog
as $$
  select coalesce(current_setting('role', true), 'none') <> 'fiks_app' and session_user::text <> 'fiks_app'
$$;

-- Who may read the whole log to verify it: the owner, or a platform operator (GraphQL auditLogVerification).
create function audit.caller_may_verify()
  returns boolean
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
begin
  if audit.caller_is_owner() then
    return true;
  end if;
  return coalesce(organizations.is_platform_operator(current_setting('fiks.actor_type', true),
                                                     current_setting('fiks.actor_id', true)), false);
exception
  -- Without the organisations' schema in this database, nobody is an operator.
  when undefined_function or undefined_table or invalid_schema_name then
    return false;
end
$$;

create function audit.assert_may_verify()
  returns void
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
begin
  if not audit.caller_may_verify() then
    raise exception 'only a platform operator verifies the audit log' using errcode = 'insufficient_privilege';
  end if;
end
$$;

-- Leaves [p_from, p_to) with their events' canonical fields (present = false once retention deleted the event).
create function audit.verification_rows(p_from bigint, p_to bigint)
  returns table (leaf_index bigint, event_id uuid, salt bytea, leaf_hash bytea, present boolean, id_text text,
                 occurred_at text, actor_type text, actor_id text, on_behalf_of text, orgnr text, service text,
                 action text, data_subject text, legal_basis text, request_id text, payload text)
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
begin
  perform audit.assert_may_verify();
  return query
    select l.leaf_index, l.event_id, l.salt, l.leaf_hash, c.id is not null, c.id_text, c.occurred_at, c.actor_type,
           c.actor_id, c.on_behalf_of, c.orgnr, c.service, c.action, c.data_subject, c.legal_basis, c.request_id,
           c.payload
    from audit.leaf l left join audit.canonical_event c on c.id = l.event_id
    where l.leaf_index >= p_from and l.leaf_index < p_to
    order by l.leaf_index;
end
$$;

-- Events that are in no leaf: pending above the latest checkpoint's seq_floor, inserted behind its back below it.
create function audit.unleafed_events()
  returns table (event_id uuid, seq bigint)
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
begin
  perform audit.assert_may_verify();
  return query
    select e.id, e.seq from audit.event e
    where not exists (select 1 from audit.leaf l where l.event_id = e.id)
    order by e.seq;
end
$$;

-- The records of retention's pruning (AUDIT_PRUNED): where content may be missing.
create function audit.pruning_records()
  returns table (event_id uuid, payload text)
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
begin
  perform audit.assert_may_verify();
  return query
    select e.id, e.payload::text from audit.event e where e.action = 'AUDIT_PRUNED' order by e.seq;
end
$$;

-- One event's leaf, salt and canonical fields, for its inclusion proof: only for a caller who sees the event (the
-- same rule as the event's row-level security) and the owner.
create function audit.proof_event(p_id uuid)
  returns table (leaf_index bigint, salt bytea, leaf_hash bytea, id_text text, occurred_at text, actor_type text,
                 actor_id text, on_behalf_of text, orgnr text, service text, action text, data_subject text,
                 legal_basis text, request_id text, payload text)
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select l.leaf_index, l.salt, l.leaf_hash, c.id_text, c.occurred_at, c.actor_type, c.actor_id, c.on_behalf_of,
         c.orgnr, c.service, c.action, c.data_subject, c.legal_basis, c.request_id, c.payload
  from audit.leaf l join audit.canonical_event c on c.id = l.event_id
  where l.event_id = p_id
    and (audit.caller_is_owner() or audit.caller_sees_event(c.orgnr::char(9), c.data_subject))
$$;

revoke execute on function audit.caller_may_verify(), audit.assert_may_verify(), audit.verification_rows(bigint, bigint),
  audit.unleafed_events(), audit.pruning_records(), audit.proof_event(uuid) from public;
grant execute on function audit.caller_may_verify(), audit.assert_may_verify(), audit.verification_rows(bigint, bigint),
  audit.unleafed_events(), audit.pruning_records(), audit.proof_event(uuid) to fiks_app;
