CREATE TABLE parent (a int, b text);
CREATE TABLE child (c int) INHERITS (parent);
CREATE TABLE grandchild (d int) INHERITS (child);
CREATE TABLE own (b text, e int) INHERITS (parent);
INSERT INTO child VALUES (1, 'x', 2);
INSERT INTO grandchild VALUES (1, 'y', 2, 3);
INSERT INTO own VALUES (1, 'z', 4);
