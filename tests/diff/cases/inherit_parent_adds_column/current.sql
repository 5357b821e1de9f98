CREATE TABLE parent (a int);
CREATE TABLE child (c int) INHERITS (parent);
CREATE TABLE grandchild (d int) INHERITS (child);
INSERT INTO grandchild VALUES (1, 2, 3);
