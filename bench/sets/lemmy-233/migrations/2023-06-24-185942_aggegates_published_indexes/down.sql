DROP INDEX idx_comment_aggregates_published;

DROP INDEX idx_community_aggregates_published;

