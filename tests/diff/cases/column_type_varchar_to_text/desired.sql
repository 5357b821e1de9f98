CREATE TABLE t (id int, label text);
