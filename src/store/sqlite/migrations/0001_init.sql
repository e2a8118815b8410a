-- fangzha schema 1: organisations, accounts, reports, indicators, sightings, audit.
-- Portable SQL (SQLite now, PostgreSQL later): integer ids, times as INTEGER ms since the epoch
-- (UTC), money as INTEGER fen, enums as TEXT with CHECK, 0 for "no time", no AUTOINCREMENT.
-- Applied once, in one transaction, by the store; never edit it after a release: add 0002.

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE orgs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('police', 'operator', 'bank', 'internet', 'community')),
  is_centre INTEGER NOT NULL DEFAULT 0 CHECK (is_centre IN (0, 1)),
  created_ms INTEGER NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs (id),
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'officer', 'partner', 'auditor')),
  password_hash TEXT NOT NULL,              -- crypto_pwhash_str (argon2id)
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until_ms INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL,
  last_login_ms INTEGER NOT NULL DEFAULT 0,
  disabled_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE,          -- BLAKE2b-256 of the cookie value
  csrf_hash BLOB NOT NULL,                  -- BLAKE2b-256 of the CSRF token
  user_id INTEGER NOT NULL REFERENCES users (id),
  created_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL,
  revoked_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,           -- the 8 characters after "fzk_"
  key_hash BLOB NOT NULL,                   -- BLAKE2b-256 of the whole key
  org_id INTEGER NOT NULL REFERENCES orgs (id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'officer', 'partner', 'auditor')),
  name TEXT NOT NULL,
  created_by INTEGER REFERENCES users (id),
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL DEFAULT 0,
  revoked_ms INTEGER NOT NULL DEFAULT 0,
  last_used_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_keys_org ON api_keys (org_id);

CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  tracking_code TEXT NOT NULL UNIQUE,       -- 12 random Crockford base32 characters
  org_id INTEGER NOT NULL REFERENCES orgs (id),   -- the responsible organisation
  source TEXT NOT NULL CHECK (source IN ('anon', 'user', 'api_key', 'cli', 'system')),
  source_org_id INTEGER REFERENCES orgs (id),
  source_user_id INTEGER REFERENCES users (id),
  source_key_id INTEGER REFERENCES api_keys (id),
  client_tag TEXT,                          -- keyed hash of the client address (never the address)
  channel TEXT NOT NULL
    CHECK (channel IN ('sms', 'call', 'chat', 'email', 'web', 'app', 'other')),
  text TEXT NOT NULL,                       -- <= 32 KiB
  loss_fen INTEGER NOT NULL DEFAULT 0 CHECK (loss_fen >= 0),
  fraud_type TEXT,                          -- stable fraud type id; NULL = unknown
  occurred_ms INTEGER NOT NULL DEFAULT 0,
  verdict_label TEXT,
  verdict_score INTEGER NOT NULL DEFAULT 0 CHECK (verdict_score BETWEEN 0 AND 100),
  status TEXT NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'triaged', 'confirmed', 'rejected', 'duplicate')),
  status_reason TEXT,
  duplicate_of INTEGER REFERENCES reports (id),
  dedupe_key BLOB NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
);
CREATE INDEX reports_org ON reports (org_id, status, id);
CREATE INDEX reports_status ON reports (status, id);
CREATE INDEX reports_dedupe ON reports (dedupe_key, id);

-- Personal data lives here only; every read masks it unless revealed (audited).
CREATE TABLE report_contacts (
  report_id INTEGER PRIMARY KEY REFERENCES reports (id),
  name TEXT,
  phone TEXT
);

CREATE TABLE report_values (
  report_id INTEGER NOT NULL REFERENCES reports (id),
  kind TEXT NOT NULL CHECK (kind IN ('phone', 'url', 'domain', 'ip', 'bank_account', 'payment_id',
                                     'wechat', 'qq', 'email', 'app', 'wifi_bssid', 'imei')),
  value TEXT NOT NULL,                      -- canonical (fz_ind_normalize)
  PRIMARY KEY (report_id, kind, value)
);
CREATE INDEX report_values_value ON report_values (kind, value);

CREATE TABLE indicators (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('phone', 'url', 'domain', 'ip', 'bank_account', 'payment_id',
                                     'wechat', 'qq', 'email', 'app', 'wifi_bssid', 'imei')),
  value TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('suspected', 'confirmed', 'cleared')),
  tlp TEXT NOT NULL CHECK (tlp IN ('clear', 'green', 'amber', 'red')),
  fraud_type TEXT,
  score INTEGER NOT NULL DEFAULT 0 CHECK (score BETWEEN 0 AND 100),
  n_reports INTEGER NOT NULL DEFAULT 0,
  n_sightings INTEGER NOT NULL DEFAULT 0,
  source_org_id INTEGER REFERENCES orgs (id),     -- NULL when created from the command line
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  last_report_ms INTEGER NOT NULL DEFAULT 0,
  expires_ms INTEGER NOT NULL DEFAULT 0,
  note TEXT,
  cleared_reason TEXT,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (kind, value)
);
CREATE INDEX indicators_status ON indicators (status, id);

CREATE TABLE indicator_reports (
  indicator_id INTEGER NOT NULL REFERENCES indicators (id),
  report_id INTEGER NOT NULL REFERENCES reports (id),
  PRIMARY KEY (indicator_id, report_id)
);
CREATE INDEX indicator_reports_report ON indicator_reports (report_id);

-- The history of an indicator: what changed, by whom, why (the answer to an appeal).
CREATE TABLE indicator_events (
  id INTEGER PRIMARY KEY,
  indicator_id INTEGER NOT NULL REFERENCES indicators (id),
  at_ms INTEGER NOT NULL,
  actor TEXT NOT NULL,                      -- "user:12", "api_key:3", "cli", ...
  action TEXT NOT NULL
    CHECK (action IN ('created', 'strengthened', 'status', 'tlp', 'expiry')),
  from_value TEXT,
  to_value TEXT,
  reason TEXT,
  report_id INTEGER REFERENCES reports (id)
);
CREATE INDEX indicator_events_ind ON indicator_events (indicator_id, id);

CREATE TABLE sightings (
  id INTEGER PRIMARY KEY,
  indicator_id INTEGER NOT NULL REFERENCES indicators (id),
  org_id INTEGER REFERENCES orgs (id),
  seen_ms INTEGER NOT NULL,
  channel TEXT,
  count INTEGER NOT NULL DEFAULT 1 CHECK (count > 0),
  note TEXT,
  created_ms INTEGER NOT NULL
);
CREATE INDEX sightings_ind ON sightings (indicator_id, id);

-- Append-only; hash = BLAKE2b-256(prev_hash || record), so an edited, removed or inserted row
-- breaks the chain (fz_store_audit_verify). Ids are given by the writer: 1, 2, 3, ...
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('anon', 'user', 'api_key', 'cli', 'system')),
  actor_id INTEGER NOT NULL DEFAULT 0,
  org_id INTEGER NOT NULL DEFAULT 0,
  request_id TEXT,
  client_tag TEXT,
  action TEXT NOT NULL,                     -- "report.add", "report.reveal", "user.login", ...
  object_kind TEXT,
  object_id INTEGER NOT NULL DEFAULT 0,
  outcome TEXT NOT NULL,                    -- fz_rc_name() of the result
  detail TEXT,                              -- short, never personal data
  prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL
);
CREATE INDEX audit_actor ON audit (actor_kind, actor_id, id);
CREATE INDEX audit_object ON audit (object_kind, object_id, id);
CREATE INDEX audit_org ON audit (org_id, id);
CREATE INDEX audit_at ON audit (at_ms);
