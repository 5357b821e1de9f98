DROP INDEX idx_post_saved_person_id, idx_comment_saved_person_id;

