CREATE TABLE t (id int, at timestamptz);
CREATE INDEX t_at ON t (at);
