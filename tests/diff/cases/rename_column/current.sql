CREATE TABLE t (id int PRIMARY KEY, fullname text);
