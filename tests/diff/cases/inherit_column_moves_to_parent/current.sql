CREATE TABLE vehicles (id bigint PRIMARY KEY, name text);
CREATE TABLE cars (wheels int NOT NULL DEFAULT 4, plate text) INHERITS (vehicles);
INSERT INTO cars (id, name, wheels, plate) VALUES (1, 'a', 4, 'X-1');
