DROP INDEX idx_comment_content_trigram;

DROP INDEX idx_post_trigram;

DROP INDEX idx_person_trigram;

DROP INDEX idx_community_trigram;

