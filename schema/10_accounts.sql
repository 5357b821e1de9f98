-- The desired schema, declared: what migrations/ produce, table by table.
-- Edit it, then `mig-diff --write NAME` writes the migration that gets there
-- (`mig-diff --check` in CI fails when the two drift apart).

-- Accounts: one row per customer.
CREATE TABLE accounts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email        text NOT NULL UNIQUE,
  display_name text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
