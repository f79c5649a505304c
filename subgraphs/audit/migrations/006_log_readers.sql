-- Reading the audit log (issue #10 items 9–11). Who sees an event under row-level security becomes:
--   * the administrators of its organisation and the holders of AUDIT.READ on its root (holds_privilege counts ADMIN
--     as every privilege, so asking for AUDIT.READ asks for either), and
--   * the person it is about — also through an integration acting for that person (fiks.pid is set for an
--     integration only when it calls with the person's own ID-porten token: subgraphs/runtime/caller-scope.ts).
-- 003 asked a per-row function that walked the privilege tree for every row; an export of 100,000 events paid that
-- 100,000 times. Here the caller's readable organisations are one set and the caller's own pid one value, each
-- computed once per statement (a hashed subplan and an init plan), so the policy costs a hash probe per row.

-- Organisations whose log the caller reads. plpgsql, so that the audit subgraph still migrates on a database of its
-- own where the organizations schema does not exist (it then reads no organisation's log), as 003 does.
create function audit.caller_log_organizations()
  returns setof bpchar
  language plpgsql stable security definer
  set search_path = pg_catalog
as $$
begin
  return query
    select o.orgnr from organizations.caller_organizations() as o(orgnr)
     where coalesce(organizations.caller_holds('AUDIT.READ', organizations.root_resource_of(o.orgnr)), false);
exception
  when undefined_function or undefined_table then
    return;
end
$$;

-- The person whose events the caller reads as their own: a person's pid, or the pid of the person an integration acts
-- for; null for anyone else.
create function audit.caller_subject()
  returns text
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select nullif(current_setting('fiks.pid', true), '')
   where coalesce(current_setting('fiks.actor_type', true), '') in ('PERSON', 'INTEGRATION')
$$;

-- 003's function, kept (same signature) and made to mean what the policy below means, should anything ask it.
create or replace function audit.caller_sees_event(p_orgnr char(9), p_data_subject text)
  returns boolean
  language sql stable security definer
  set search_path = pg_catalog
as $$
  select coalesce(p_orgnr in (select audit.caller_log_organizations()), false)
      or coalesce(p_data_subject = audit.caller_subject(), false)
$$;

drop policy event_for_caller on audit.event;
create policy event_for_caller on audit.event for select to fiks_app
  using (orgnr in (select audit.caller_log_organizations())
         or data_subject = (select audit.caller_subject()));

-- Search and export: an organisation's log by time, newest or oldest first, with a keyset cursor over
-- (occurred_at, seq); by actor within an organisation; one person's events (the search by data subject and the
-- person's own access log). They extend 001's (orgnr, occurred_at) and (data_subject, occurred_at), which they
-- replace: every query those served, these serve.
create index event_org_time on audit.event (orgnr, occurred_at, seq);
create index event_org_actor_time on audit.event (orgnr, actor_type, actor_id, occurred_at, seq);
create index event_subject_time on audit.event (data_subject, occurred_at, seq);
drop index audit.event_orgnr;
drop index audit.event_subject;

-- The snooping report (subgraphs/audit/report.ts): reads of a person's data in one organisation over a period.
create index event_org_reads on audit.event (orgnr, occurred_at)
  where action like '%\_READ' and data_subject is not null;
