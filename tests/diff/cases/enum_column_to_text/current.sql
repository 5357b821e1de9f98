CREATE TYPE state AS ENUM ('a', 'b');
CREATE TABLE o (id int, s state);
INSERT INTO o VALUES (1, 'a');
