CREATE TYPE state AS ENUM ('new', 'paid');
CREATE TABLE o (s state);
