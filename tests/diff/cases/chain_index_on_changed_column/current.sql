CREATE TABLE t (id int, code varchar(10));
CREATE INDEX t_code ON t (code);
