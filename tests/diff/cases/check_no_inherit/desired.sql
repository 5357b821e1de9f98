CREATE TABLE t (id int, qty int, CONSTRAINT q CHECK (qty > 0) NO INHERIT);
