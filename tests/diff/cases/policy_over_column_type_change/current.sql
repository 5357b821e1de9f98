CREATE TABLE docs (id int, level int);
CREATE POLICY low ON docs USING (level < 5);
