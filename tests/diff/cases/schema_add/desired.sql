CREATE TABLE t (id int);
CREATE SCHEMA audit;
CREATE TABLE audit.log (at timestamptz DEFAULT now(), what text);
