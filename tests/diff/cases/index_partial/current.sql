CREATE TABLE t (id int, deleted_at timestamptz);
