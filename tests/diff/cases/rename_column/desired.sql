CREATE TABLE t (
  id int PRIMARY KEY,
  -- mig:renamed-from fullname
  display_name text
);
