CREATE TYPE "Order State" AS ENUM ('new', 'paid', 'refunded');
CREATE TABLE orders (id bigint PRIMARY KEY, state "Order State" NOT NULL DEFAULT 'new', history "Order State"[] DEFAULT '{new}');
CREATE VIEW paid AS SELECT id FROM orders WHERE state = 'paid';
CREATE VIEW states AS SELECT id, state FROM orders;
CREATE INDEX orders_open ON orders (id) WHERE state <> 'paid';
CREATE FUNCTION is_paid(s "Order State") RETURNS boolean LANGUAGE sql AS $$ SELECT s = 'paid' $$;
