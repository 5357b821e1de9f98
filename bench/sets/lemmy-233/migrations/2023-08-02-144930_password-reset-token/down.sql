ALTER TABLE password_reset_request RENAME COLUMN token TO token_encrypted;

