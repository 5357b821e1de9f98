DROP INDEX idx_post_creator;

DROP INDEX idx_post_community;

DROP INDEX idx_post_like_post;

DROP INDEX idx_post_like_user;

DROP INDEX idx_comment_creator;

DROP INDEX idx_comment_parent;

DROP INDEX idx_comment_post;

DROP INDEX idx_comment_like_comment;

DROP INDEX idx_comment_like_user;

DROP INDEX idx_comment_like_post;

DROP INDEX idx_community_creator;

DROP INDEX idx_community_category;

