-- Document metadata and who each document is exposed to (Dokumentlager's eksponertFor). Content comes later,
-- encrypted.
create table documents.document (
  id             uuid primary key default gen_random_uuid(),
  orgnr          char(9) not null check (orgnr ~ '^[0-9]{9}$'),
  title          text not null check (length(title) between 1 and 500),
  mime_type      text not null,
  size_bytes     integer not null check (size_bytes >= 0),
  security_level smallint not null check (security_level in (3, 4)),
  created_at     timestamptz not null default now()
);
create index document_orgnr on documents.document (orgnr);

create table documents.exposure (
  document_id uuid not null references documents.document on delete cascade,
  kind        text not null check (kind in ('PERSON', 'ORGANIZATION', 'INTEGRATION', 'AUTHORIZATION')),
  value       text not null,
  primary key (document_id, kind, value)
);
create index exposure_subject on documents.exposure (kind, value);
