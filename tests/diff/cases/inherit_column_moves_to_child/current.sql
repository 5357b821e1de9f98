CREATE TABLE parent (a int, b text);
CREATE TABLE child (c int) INHERITS (parent);
INSERT INTO child VALUES (1, 'x', 2);
