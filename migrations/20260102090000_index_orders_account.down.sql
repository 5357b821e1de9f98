-- mig:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS orders_account_id_idx;
