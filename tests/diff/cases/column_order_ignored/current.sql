CREATE TABLE t (a int, b text);
