CREATE TABLE t (id int, a int, b text);
CREATE INDEX t_a ON t (a) INCLUDE (b);
