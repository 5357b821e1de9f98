CREATE TYPE state AS ENUM ('new', 'shipped');
CREATE TABLE o (s state);
