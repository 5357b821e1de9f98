CREATE SEQUENCE ids;
CREATE TABLE t (id int DEFAULT nextval('ids'));
