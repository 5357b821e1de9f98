CREATE TABLE base (id int, created timestamptz);
CREATE TABLE audit (note text);
CREATE TABLE events (id int, created timestamptz, kind text);
CREATE TABLE logs (msg text) INHERITS (base);
INSERT INTO events VALUES (1, now(), 'k');
INSERT INTO logs VALUES (2, now(), 'm');
