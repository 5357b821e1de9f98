CREATE TABLE parent (a int, b text DEFAULT 'p');
CREATE TABLE child (c int) INHERITS (parent);
CREATE TABLE grandchild (d int) INHERITS (child);
