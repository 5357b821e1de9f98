ALTER TABLE activity
    DROP COLUMN ap_id;

