CREATE TABLE t (id int, n serial);
