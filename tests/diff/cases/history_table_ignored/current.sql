CREATE TABLE migration_history (version text PRIMARY KEY);
CREATE TABLE t (id int);
