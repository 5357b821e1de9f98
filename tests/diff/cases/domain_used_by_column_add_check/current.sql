CREATE DOMAIN qty AS int;
CREATE TABLE t (q qty);
