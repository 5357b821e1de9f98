CREATE TYPE old_state AS ENUM ('a', 'b');
CREATE TABLE o (id int, s old_state);
