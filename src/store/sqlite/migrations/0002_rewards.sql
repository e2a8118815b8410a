-- fangzha schema 2: rewards for confirmed reports (有奖举报), their ledger and yearly budgets.
-- Same conventions as 0001: integer ids, times as INTEGER ms since the epoch (UTC, 0 = none),
-- money as INTEGER fen, enums as TEXT with CHECK. No personal data: a reward names its report
-- only. Never edit it after a release: add 0003.

-- One row per reward; its status moves proposed -> approved -> paid, or to cancelled.
CREATE TABLE rewards (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports (id),
  org_id INTEGER NOT NULL REFERENCES orgs (id),   -- the report's responsible organisation
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 9999),  -- of the proposal, Beijing time
  status TEXT NOT NULL DEFAULT 'proposed'
    CHECK (status IN ('proposed', 'approved', 'paid', 'cancelled')),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  by_rule INTEGER NOT NULL DEFAULT 0 CHECK (by_rule IN (0, 1)),
  basis TEXT,
  proposed_by TEXT NOT NULL,                -- "user:12", "api_key:3", "cli", ...
  proposed_ms INTEGER NOT NULL,
  approved_by TEXT,
  approved_ms INTEGER NOT NULL DEFAULT 0,
  paid_by TEXT,
  paid_ms INTEGER NOT NULL DEFAULT 0,
  payment_ref TEXT,                         -- the payment system's reference, never a person
  cancelled_by TEXT,
  cancelled_ms INTEGER NOT NULL DEFAULT 0,
  cancel_reason TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  updated_ms INTEGER NOT NULL,
  CHECK (status <> 'paid' OR (paid_ms > 0 AND payment_ref IS NOT NULL)),
  CHECK (status <> 'cancelled' OR cancel_reason IS NOT NULL)
);
-- At most one reward per report that is not cancelled.
CREATE UNIQUE INDEX rewards_active ON rewards (report_id) WHERE status <> 'cancelled';
CREATE INDEX rewards_org ON rewards (org_id, year, status, id);
CREATE INDEX rewards_year ON rewards (year, status, id);
CREATE INDEX rewards_report ON rewards (report_id, id);

-- The ledger: one row per change of a reward and per budget change, append-only. Auditors
-- export it by year (the reward's year, or the budget's).
CREATE TABLE reward_events (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs (id),
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 9999),
  reward_id INTEGER REFERENCES rewards (id),     -- NULL for a budget row
  report_id INTEGER REFERENCES reports (id),     -- NULL for a budget row
  at_ms INTEGER NOT NULL,
  action TEXT NOT NULL
    CHECK (action IN ('proposed', 'approved', 'paid', 'cancelled', 'budget')),
  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
  actor TEXT NOT NULL,
  reference TEXT,                           -- basis, payment reference or cancel reason
  CHECK ((action = 'budget') = (reward_id IS NULL))
);
CREATE INDEX reward_events_org ON reward_events (org_id, year, at_ms, id);
CREATE INDEX reward_events_year ON reward_events (year, at_ms, id);

CREATE TABLE reward_budgets (
  org_id INTEGER NOT NULL REFERENCES orgs (id),
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 9999),
  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
  updated_by TEXT NOT NULL,
  updated_ms INTEGER NOT NULL,
  PRIMARY KEY (org_id, year)
);
