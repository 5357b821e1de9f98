CREATE TABLE t (b text, a int);
