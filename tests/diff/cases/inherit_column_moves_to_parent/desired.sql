CREATE TABLE vehicles (id bigint PRIMARY KEY, name text, plate text);
CREATE TABLE cars (wheels int NOT NULL DEFAULT 4) INHERITS (vehicles);
