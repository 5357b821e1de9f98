CREATE TABLE parent (a int);
CREATE TABLE child (b text, c int) INHERITS (parent);
