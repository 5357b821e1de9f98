SELECT count(*) = 0 FROM accounts WHERE display_name IS NULL;
