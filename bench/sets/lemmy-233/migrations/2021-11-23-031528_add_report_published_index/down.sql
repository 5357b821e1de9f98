DROP INDEX idx_comment_report_published;

DROP INDEX idx_post_report_published;

