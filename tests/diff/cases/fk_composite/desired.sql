CREATE TABLE p (a int, b int, PRIMARY KEY (a, b));
CREATE TABLE c (x int, y int, FOREIGN KEY (x, y) REFERENCES p (a, b) MATCH FULL);
