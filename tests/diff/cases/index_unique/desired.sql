CREATE TABLE t (id int, email text);
CREATE UNIQUE INDEX t_email ON t (lower(email));
