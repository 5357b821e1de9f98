CREATE TABLE t (a int, b int, c int, CONSTRAINT t_ab UNIQUE (a, b));
