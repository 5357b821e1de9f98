-- This file should undo anything in `up.sql`
DROP INDEX idx_community_aggregates_nonzero_hotrank;

DROP INDEX idx_comment_aggregates_nonzero_hotrank;

DROP INDEX idx_post_aggregates_nonzero_hotrank;

