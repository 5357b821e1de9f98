CREATE TABLE docs (id int, level bigint);
CREATE POLICY low ON docs USING (level < 5);
