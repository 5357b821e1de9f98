ALTER TABLE email_verification
    DROP COLUMN published;

