DROP VIEW post_view;

DROP FUNCTION hot_rank;

