CREATE TABLE t (id int, qty int CHECK (qty > 0));
