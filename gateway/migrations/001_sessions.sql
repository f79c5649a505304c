-- Browser logins through ID-porten (gateway/session). Times are written by the application from its own clock, so
-- idle and maximum age are measured on one clock. Columns ending in _sealed hold AES-256-GCM values
-- (v1.<key id>.<iv>.<ciphertext>.<tag>); nothing here opens a session by itself: the cookie is stored only as its
-- SHA-256.

-- An authorization request on its way through ID-porten. Single use: the callback deletes the row it consumes.
create table gateway.login_attempt (
  state                text primary key,
  -- SHA-256 of the login cookie of the browser that started it: a callback from another browser is refused.
  browser_hash         text not null,
  code_verifier_sealed text not null,
  nonce                text not null,
  return_to            text not null,
  created_at           timestamptz not null
);
create index login_attempt_created_at on gateway.login_attempt (created_at);

-- A logged-in person.
create table gateway.session (
  -- Opaque and not secret: shown to subgraphs as the principal's sessionId, for audit.
  id                      uuid primary key,
  cookie_hash             text not null unique,
  pid_sealed              text not null,
  acr                     text not null
    check (acr in ('idporten-loa-low', 'idporten-loa-substantial', 'idporten-loa-high')),
  -- ID-porten's session id from the id_token, in clear: front-channel logout names the session by it.
  sid                     text,
  id_token_sealed         text not null,
  access_token_sealed     text not null,
  refresh_token_sealed    text,
  access_token_expires_at timestamptz not null,
  created_at              timestamptz not null,
  last_seen_at            timestamptz not null,
  expires_at              timestamptz not null
);
create index session_sid on gateway.session (sid);
create index session_last_seen_at on gateway.session (last_seen_at);
create index session_expires_at on gateway.session (expires_at);
