CREATE TABLE logs (id int NOT NULL, created timestamptz, msg text);
INSERT INTO logs VALUES (1, now(), 'm');
