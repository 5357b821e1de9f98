CREATE TABLE parent (a int);
CREATE TABLE child (c int) INHERITS (parent);
CREATE TABLE grandchild (d int) INHERITS (child);
CREATE TABLE own (e int) INHERITS (parent);
