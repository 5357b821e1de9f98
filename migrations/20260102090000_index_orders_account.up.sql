-- mig:no-transaction
-- Built without blocking writes; a failed build leaves an INVALID index, so
-- mig records the migration as failed and asks for a repair.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_account_id_idx ON orders (account_id);
