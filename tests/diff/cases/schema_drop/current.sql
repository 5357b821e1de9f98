CREATE SCHEMA audit;
CREATE TABLE audit.log (what text);
