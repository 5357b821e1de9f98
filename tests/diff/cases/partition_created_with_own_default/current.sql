CREATE TABLE events (id int NOT NULL, kind text DEFAULT 'x', note text) PARTITION BY RANGE (id);
CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (100);
CREATE TABLE events_2 PARTITION OF events FOR VALUES FROM (100) TO (200);
INSERT INTO events VALUES (1, 'a', 'n'), (150, 'b', 'm');
