CREATE TABLE t (id int, label varchar(20));
