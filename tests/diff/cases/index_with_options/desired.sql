CREATE TABLE t (id int);
CREATE INDEX t_id ON t (id) WITH (fillfactor = 70);
