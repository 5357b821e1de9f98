CREATE TABLE t (id int, status text);
