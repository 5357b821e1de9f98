CREATE TABLE t (id int PRIMARY KEY, amount bigint);
