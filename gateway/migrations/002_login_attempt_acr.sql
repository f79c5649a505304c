-- Step-up login (issue #9 item 7): /auth/login?acr=idporten-loa-high asks ID-porten for a level above the configured
-- minimum, and the callback must find the login at least that strong. The level asked for travels with the attempt.
-- Null: the configured minimum (attempts started before this column existed).
alter table gateway.login_attempt add column acr text
  check (acr in ('idporten-loa-low', 'idporten-loa-substantial', 'idporten-loa-high'));
