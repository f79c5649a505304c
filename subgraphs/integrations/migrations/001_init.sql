-- Integrations: machine clients, owned by one organisation, bound to the organisation of their Maskinporten token.
create table integrations.integration (
  id               uuid primary key default gen_random_uuid(),
  name             text not null check (length(name) between 1 and 200),
  description      text,
  owner_orgnr      char(9) not null check (owner_orgnr ~ '^[0-9]{9}$'),
  authorized_orgnr char(9) not null check (authorized_orgnr ~ '^[0-9]{9}$'),
  global           boolean not null default false,
  enabled          boolean not null default true,
  created_at       timestamptz not null default now()
);
create index integration_owner on integrations.integration (owner_orgnr);
