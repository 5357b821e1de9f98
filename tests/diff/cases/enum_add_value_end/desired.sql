CREATE TYPE state AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE o (s state);
