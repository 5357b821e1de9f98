DROP VIEW reply_view;

DROP VIEW comment_view;

