-- Encrypted content (issue #11): accounts, the upload's life cycle, the wrapped data keys, single-use content links,
-- deletion that keeps the metadata, and the persons who opted out of storage. Content itself is never in the database:
-- it lives in the content store, encrypted (docs/DOCUMENT-ENCRYPTION.md); what is here is each document's data key,
-- wrapped by a key-encryption key that is not here either.

-- A document is UPLOADING from the moment its link is used until its whole content is stored, then STORED; DELETED
-- keeps the metadata (Dokumentlager keeps it too, FIKS-FACTS §6) without title, content or key.
alter table documents.document
  add column account_id      uuid,
  add column correlation_id  uuid,
  add column available_until timestamptz,
  add column sha256          char(64) check (sha256 ~ '^[0-9a-f]{64}$'),
  add column state           text not null default 'STORED' check (state in ('UPLOADING', 'STORED', 'DELETED')),
  add column uploader_type   text check (uploader_type in ('PERSON', 'INTEGRATION')),
  add column uploader_id     text,
  add column read_at         timestamptz,
  add column deleted_at      timestamptz,
  add column deleted_by      text check (deleted_by in ('RECIPIENT', 'UPLOADER', 'EXPIRED', 'OPT_OUT')),
  -- Set by the purge job once a deleted document's content is gone from the content store too (its key went first).
  add column content_removed_at timestamptz,
  alter column size_bytes type bigint,
  alter column title drop not null,
  add constraint document_title_until_deleted check (title is not null or state = 'DELETED'),
  add constraint document_deleted_says_how check ((state = 'DELETED') = (deleted_at is not null and deleted_by is not null));
create index document_account_correlation on documents.document (account_id, correlation_id);
create index document_available_until on documents.document (available_until) where state <> 'DELETED';
create index document_uploading on documents.document (created_at) where state = 'UPLOADING';
create index document_content_to_remove on documents.document (deleted_at)
  where state = 'DELETED' and content_removed_at is null;

-- Each document's data key, wrapped by the key-encryption key (kek_id, kek_version) of the key store
-- (subgraphs/documents/keys/). data_key_id is bound into the content's associated data; a rotation re-wraps the key
-- and changes kek_version only. Deleting the row is crypto-shredding: the content store's copy can no longer be read.
create table documents.data_key (
  document_id  uuid primary key references documents.document on delete cascade,
  data_key_id  uuid not null unique,
  kek_id       text not null,
  kek_version  integer not null,
  wrapped      bytea not null,
  created_at   timestamptz not null default now(),
  rewrapped_at timestamptz
);
create index data_key_version on documents.data_key (kek_id, kek_version);

-- A content link: single use, single purpose, for one caller, short-lived. Only its SHA-256 is stored; the link itself
-- (32 random bytes) is shown once. An upload link carries the metadata the document will get (`pending`).
create table documents.content_link (
  hash        bytea primary key check (length(hash) = 32),
  purpose     text not null check (purpose in ('UPLOAD', 'DOWNLOAD')),
  document_id uuid not null,
  actor_type  text not null,
  actor_id    text not null,
  pending     jsonb,
  expires_at  timestamptz not null,
  used_at     timestamptz,
  created_at  timestamptz not null default now()
);
create index content_link_expiry on documents.content_link (expires_at);

-- Persons who do not let the store keep documents for them (issue #11 item 9).
create table documents.storage_opt_out (
  pid   char(11) primary key check (pid ~ '^[0-9]{11}$'),
  since timestamptz not null default now()
);

grant select, insert, update, delete on documents.data_key, documents.content_link, documents.storage_opt_out
  to fiks_app;

-- Whether the document is exposed to the caller (eksponertFor), at any login level. Not the holding organisation's
-- administrators and not the uploader, who see metadata only (issue #11 item 5). ORGANIZATION exposures need a
-- Post/arkiv role there (FIKS-FACTS §4, §6), which the caller scope puts in fiks.acting_for_roles. Matches
-- subgraphs/documents/exposure.ts.
create function documents.caller_exposed(p_id uuid)
  returns boolean
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
declare
  v_type text := current_setting('fiks.actor_type', true);
  v_id text := current_setting('fiks.actor_id', true);
  v_pid text := current_setting('fiks.pid', true);
  v_acting_for text := current_setting('fiks.acting_for', true);
  v_roles text[] := string_to_array(coalesce(current_setting('fiks.acting_for_roles', true), ''), ',');
begin
  if v_type is null or v_type = '' then
    return false;
  end if;
  return exists (
    select 1 from documents.exposure e
     where e.document_id = p_id
       and ((e.kind = 'PERSON' and v_type = 'PERSON' and e.value = v_pid)
         or (e.kind = 'INTEGRATION' and v_type = 'INTEGRATION' and e.value = v_id)
         or (e.kind = 'ORGANIZATION' and v_type = 'PERSON' and e.value = v_acting_for
             and v_roles && array['A0236', 'urn:altinn:accesspackage:post-og-arkiv'])
         or (e.kind = 'AUTHORIZATION' and organizations.holds_privilege(
               v_type, v_id, split_part(e.value, '@', 1), nullif(split_part(e.value, '@', 2), '')::uuid))));
exception
  when undefined_function or undefined_table or invalid_text_representation then
    return false;
end
$$;

-- Who may have a document's content (its data key): exposed to the caller, at a login that meets its level, once
-- its upload has finished.
create function documents.caller_may_have_content(p_id uuid)
  returns boolean
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
declare
  v_level smallint;
begin
  select d.security_level into v_level from documents.document d where d.id = p_id and d.state = 'STORED';
  if not found then
    return false;
  end if;
  return documents.caller_meets_level(v_level) and documents.caller_exposed(p_id);
end
$$;

-- Who sees a document's row: those it is exposed to, the organisation's administrators, the uploader and the
-- account's uploaders (DOKUMENTLAGER.UPLOAD on it) — the last three for metadata and delivery status only; the
-- resolvers' rules hide the title from them and the data key's row is for the exposed alone (below).
create or replace function documents.caller_sees(p_id uuid, p_orgnr char(9))
  returns boolean
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
declare
  v_type text := current_setting('fiks.actor_type', true);
  v_id text := current_setting('fiks.actor_id', true);
  v_doc record;
begin
  if v_type is null or v_type = '' then
    return false;
  end if;
  select d.state, d.uploader_type, d.uploader_id, d.account_id into v_doc from documents.document d where d.id = p_id;
  if not found or v_doc.state = 'UPLOADING' then
    return false;
  end if;
  if v_doc.uploader_type = v_type and v_doc.uploader_id = v_id then
    return true;
  end if;
  if documents.caller_exposed(p_id) then
    return true;
  end if;
  if v_doc.account_id is not null
     and coalesce(organizations.holds_privilege(v_type, v_id, 'DOKUMENTLAGER.UPLOAD', v_doc.account_id), false) then
    return true;
  end if;
  return coalesce(organizations.holds_privilege(v_type, v_id, 'ADMIN', organizations.root_resource_of(p_orgnr)), false);
exception
  when undefined_function or undefined_table or invalid_text_representation then
    return false;
end
$$;

-- The data key is for those the document is exposed to, and nobody else: no statement run for any other caller can
-- read it, whatever the code above asks (the third wall of item 5, under the rules and the content service).
alter table documents.data_key enable row level security;
create policy data_key_for_exposed on documents.data_key for select to fiks_app
  using (documents.caller_may_have_content(document_id));
-- Written only in the upload's own transaction, for a document that is UPLOADING and uploaded by the caller.
create policy data_key_written_by_uploader on documents.data_key for insert to fiks_app
  with check (exists (select 1 from documents.document d
                       where d.id = document_id and d.state = 'UPLOADING'
                         and d.uploader_type = current_setting('fiks.actor_type', true)
                         and d.uploader_id = current_setting('fiks.actor_id', true)));
-- Deleting (crypto-shredding) goes through documents.destroy_content (security definer), which decides who may.

alter table documents.content_link enable row level security;
create policy content_link_of_caller on documents.content_link to fiks_app
  using (actor_type = current_setting('fiks.actor_type', true) and actor_id = current_setting('fiks.actor_id', true))
  with check (actor_type = current_setting('fiks.actor_type', true)
              and actor_id = current_setting('fiks.actor_id', true));

alter table documents.storage_opt_out enable row level security;
create policy opt_out_of_caller on documents.storage_opt_out to fiks_app
  using (current_setting('fiks.actor_type', true) = 'PERSON' and pid = current_setting('fiks.pid', true))
  with check (current_setting('fiks.actor_type', true) = 'PERSON' and pid = current_setting('fiks.pid', true));

-- Which of these persons opted out: an uploader is told, so that it can tell its sender (RECIPIENT_OPTED_OUT).
create function documents.opted_out(p_pids text[])
  returns text[]
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select coalesce(array_agg(o.pid::text), '{}') from documents.storage_opt_out o where o.pid = any(p_pids)
$$;

-- The uploader sees its own documents' rows in every state: while UPLOADING (the upload's insert and completion run
-- as the uploader) and after. Not tied to the state, because an UPDATE's new row must stay visible to its maker, and
-- documents.caller_sees reads the row as it was before the statement.
create policy document_of_uploader on documents.document to fiks_app
  using (uploader_type = current_setting('fiks.actor_type', true)
         and uploader_id = current_setting('fiks.actor_id', true))
  with check (true);

-- Destroys a document's content key and title and marks it deleted, keeping the rest of the metadata. Called with the
-- caller's settings; refuses (returns false) unless the caller may: a person it is exposed to, or one holding
-- DOKUMENTLAGER.UPLOAD on its account. The purge job and the opt-out call the *_as_platform variant.
create function documents.destroy_content_as_platform(p_id uuid, p_by text)
  returns boolean
  language plpgsql volatile security definer
  set search_path = pg_catalog
as $$
begin
  delete from documents.data_key k where k.document_id = p_id;
  update documents.document d
     set state = 'DELETED', title = null, deleted_at = now(), deleted_by = p_by
   where d.id = p_id and d.state = 'STORED';
  return found;
end
$$;
revoke all on function documents.destroy_content_as_platform(uuid, text) from public;

create function documents.destroy_content(p_id uuid, p_by text)
  returns boolean
  language plpgsql volatile security definer
  set search_path = pg_catalog
as $$
declare
  v_type text := current_setting('fiks.actor_type', true);
  v_id text := current_setting('fiks.actor_id', true);
  v_pid text := current_setting('fiks.pid', true);
  v_account uuid;
begin
  select d.account_id into v_account from documents.document d where d.id = p_id and d.state = 'STORED';
  if not found then
    return false;
  end if;
  if p_by in ('RECIPIENT', 'OPT_OUT') then
    if not (v_type = 'PERSON' and exists (select 1 from documents.exposure e
                                            where e.document_id = p_id and e.kind = 'PERSON' and e.value = v_pid)) then
      return false;
    end if;
  elsif p_by = 'UPLOADER' then
    if v_account is null
       or not coalesce(organizations.holds_privilege(v_type, v_id, 'DOKUMENTLAGER.UPLOAD', v_account), false) then
      return false;
    end if;
  else
    return false;
  end if;
  return documents.destroy_content_as_platform(p_id, p_by);
exception
  when undefined_function or undefined_table then
    return false;
end
$$;
revoke all on function documents.destroy_content(uuid, text) from public;
grant execute on function documents.destroy_content(uuid, text) to fiks_app;

-- The organisation of a document account: a resource of type DOKUMENTLAGER.KONTO (null for any other resource, or
-- none). plpgsql, so this schema's migrations do not need the organizations schema to exist.
create function documents.account_organization(p_id uuid)
  returns char(9)
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
begin
  return (select r.orgnr from organizations.resource r where r.id = p_id and r.type = 'DOKUMENTLAGER.KONTO');
exception
  when undefined_table then
    return null;
end
$$;

-- Opting out (issue #11 item 9), for the calling person, in one transaction with its audit events: records the
-- opt-out and deletes every document kept for them — their copy only where another person it is exposed to remains,
-- else the whole document (key and title destroyed). All of them, whatever the login level: deleting reveals nothing,
-- and a person who opts out wants none kept. Answers what it did, for the audit events.
create function documents.opt_out_caller()
  returns table (document_id uuid, orgnr char(9), content_destroyed boolean)
  language plpgsql volatile security definer
  set search_path = pg_catalog
as $$
declare
  v_pid text := current_setting('fiks.pid', true);
  v_doc record;
begin
  if current_setting('fiks.actor_type', true) is distinct from 'PERSON' or coalesce(v_pid, '') = '' then
    return;
  end if;
  insert into documents.storage_opt_out (pid) values (v_pid) on conflict do nothing;
  for v_doc in
    select d.id, d.orgnr from documents.document d
     where d.state = 'STORED'
       and exists (select 1 from documents.exposure e where e.document_id = d.id and e.kind = 'PERSON' and e.value = v_pid)
     for update
  loop
    document_id := v_doc.id;
    orgnr := v_doc.orgnr;
    if exists (select 1 from documents.exposure e
                where e.document_id = v_doc.id and e.kind = 'PERSON' and e.value <> v_pid) then
      delete from documents.exposure e where e.document_id = v_doc.id and e.kind = 'PERSON' and e.value = v_pid;
      content_destroyed := false;
    else
      perform documents.destroy_content_as_platform(v_doc.id, 'OPT_OUT');
      content_destroyed := true;
    end if;
    return next;
  end loop;
end
$$;
revoke all on function documents.opt_out_caller() from public;
grant execute on function documents.opt_out_caller() to fiks_app;
