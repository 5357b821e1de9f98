CREATE TYPE new_state AS ENUM ('a', 'b', 'c');
CREATE TABLE o (id int, s new_state);
