CREATE DOMAIN money_cents AS bigint;
CREATE TABLE t (id int, price money_cents);
