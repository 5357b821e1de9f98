CREATE TABLE base (id int NOT NULL, created timestamptz);
CREATE TABLE logs (msg text) INHERITS (base);
