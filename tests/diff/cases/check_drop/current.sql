CREATE TABLE t (id int, qty int CONSTRAINT qty_pos CHECK (qty > 0));
