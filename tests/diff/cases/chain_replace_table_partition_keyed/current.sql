CREATE TABLE log (id int, at date);
CREATE VIEW recent AS SELECT id FROM log;
