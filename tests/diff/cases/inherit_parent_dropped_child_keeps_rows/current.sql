CREATE TABLE base (id int NOT NULL, created timestamptz DEFAULT now());
CREATE TABLE logs (msg text) INHERITS (base);
INSERT INTO logs (id, msg) VALUES (1, 'm');
