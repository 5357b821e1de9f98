ALTER TABLE site
    DROP COLUMN application_email_admins;

