CREATE TABLE orders (id int, cents bigint);
CREATE FUNCTION euros(bigint) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT $1 / 100.0 $$;
CREATE VIEW order_euros AS SELECT id, euros(cents) AS eur FROM orders;
