DROP INDEX idx_community_title;

