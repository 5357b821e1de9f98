CREATE DOMAIN money_cents AS int;
CREATE TABLE t (id int, price money_cents);
