CREATE TABLE base (id int, created timestamptz);
CREATE TABLE audit (note text);
CREATE TABLE events (id int, created timestamptz, kind text, note text) INHERITS (base, audit);
CREATE TABLE logs (id int, created timestamptz, msg text);
