CREATE TABLE t (id int, tags text[]);
CREATE INDEX t_tags ON t USING gin (tags);
