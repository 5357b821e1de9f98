-- The concurrent build finished: the index is valid.
SELECT indisvalid FROM pg_index WHERE indexrelid = 'orders_account_id_idx'::regclass;
