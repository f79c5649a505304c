-- Organisations, their resource tree and privilege grants (Fiks-konfigurasjon).
create table organizations.organization (
  orgnr      char(9) primary key check (orgnr ~ '^[0-9]{9}$'),
  name       text not null check (length(name) between 1 and 200),
  created_at timestamptz not null default now()
);

create table organizations.resource (
  id         uuid primary key default gen_random_uuid(),
  orgnr      char(9) not null references organizations.organization,
  parent_id  uuid references organizations.resource,
  type       text not null check (type ~ '^[0-9A-Z_.]+$'),
  name       text not null check (length(name) between 1 and 200),
  created_at timestamptz not null default now()
);
-- Exactly one root per organisation.
create unique index resource_one_root on organizations.resource (orgnr) where parent_id is null;
create index resource_parent on organizations.resource (parent_id);

create table organizations.privilege_grant (
  id          uuid primary key default gen_random_uuid(),
  orgnr       char(9) not null references organizations.organization,
  actor_type  text not null check (actor_type in ('PERSON', 'INTEGRATION')),
  actor_id    text not null check (actor_id ~ '^[A-Za-zæøåÆØÅ0-9_.,/ -]+$'),
  privilege   text not null check (privilege ~ '^[0-9A-Z_.]+$'),
  resource_id uuid not null references organizations.resource,
  created_at  timestamptz not null default now(),
  unique (actor_type, actor_id, privilege, resource_id)
);
create index privilege_grant_resource on organizations.privilege_grant (resource_id);
create index privilege_grant_actor on organizations.privilege_grant (actor_type, actor_id);
