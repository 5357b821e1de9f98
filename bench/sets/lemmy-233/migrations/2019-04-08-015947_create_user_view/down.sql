DROP VIEW user_view;

