ALTER TABLE post
    DROP COLUMN scheduled_publish_time;

