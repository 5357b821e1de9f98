CREATE TABLE t (id int, code varchar(20));
CREATE INDEX t_code ON t (code);
