-- The audit log. Append-only: rows are inserted, never updated or deleted by the application.
create table audit.event (
  id          uuid primary key default gen_random_uuid(),
  seq         bigint generated always as identity unique,
  occurred_at timestamptz not null default now(),
  actor_type  text not null,
  actor_id    text not null,
  on_behalf_of text,
  orgnr       char(9),
  service     text not null,
  action      text not null check (action ~ '^[A-Z_]+$'),
  data_subject text,
  legal_basis text,
  request_id  text,
  payload     jsonb
);
create index event_orgnr on audit.event (orgnr, occurred_at desc);
create index event_subject on audit.event (data_subject, occurred_at desc);
