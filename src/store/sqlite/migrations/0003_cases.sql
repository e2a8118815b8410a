-- fangzha schema 3: typical cases (典型案例) that staff write and publish on the portal.
-- Same conventions as 0001: integer ids, times as INTEGER ms since the epoch (UTC, 0 = none),
-- enums as TEXT with CHECK. The text is anonymised by its writer; the store refuses text that
-- looks like it holds a mobile or ID number (store/cases.c). Never edit it after a release: add
-- 0004.

-- One row per case; its status moves draft -> published -> withdrawn -> published ...
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs (id),   -- the writer's organisation
  title TEXT NOT NULL,                      -- at most 100 characters
  fraud_type TEXT NOT NULL,                 -- stable fraud type id
  text TEXT NOT NULL,                       -- at most 8 KiB, anonymised
  status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'published', 'withdrawn')),
  version INTEGER NOT NULL DEFAULT 1,
  created_by TEXT NOT NULL,                 -- "user:12", "api_key:3", "cli", ...
  created_ms INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  updated_ms INTEGER NOT NULL,
  published_by TEXT,
  published_ms INTEGER NOT NULL DEFAULT 0,  -- the last publication; kept when withdrawn
  withdrawn_by TEXT,
  withdrawn_ms INTEGER NOT NULL DEFAULT 0,
  withdraw_reason TEXT,
  CHECK (status = 'draft' OR published_ms > 0),
  CHECK (status <> 'withdrawn' OR withdraw_reason IS NOT NULL)
);
-- The portal's list: published cases, newest publication first.
CREATE INDEX cases_public ON cases (status, published_ms, id);
-- The console's list: an organisation's cases by status, newest first.
CREATE INDEX cases_org ON cases (org_id, status, id);
CREATE INDEX cases_status ON cases (status, id);
