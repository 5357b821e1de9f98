CREATE TABLE t (id int, g int);
