CREATE TYPE "Order State" AS ENUM ('new', 'paid', 'refunded', 'void');
CREATE TABLE orders (id bigint PRIMARY KEY, state "Order State" NOT NULL DEFAULT 'new', history "Order State"[] DEFAULT '{new}');
CREATE VIEW paid AS SELECT id FROM orders WHERE state = 'paid';
CREATE VIEW states AS SELECT id, state FROM orders;
CREATE INDEX orders_open ON orders (id) WHERE state <> 'void';
CREATE FUNCTION is_paid(s "Order State") RETURNS boolean LANGUAGE sql AS $$ SELECT s = 'paid' $$;
ALTER TABLE orders ADD CONSTRAINT not_void CHECK (state <> 'void');
INSERT INTO orders VALUES (1, 'paid', '{new,paid}'), (2, 'new', DEFAULT), (3, 'refunded', '{new,paid,refunded}');
