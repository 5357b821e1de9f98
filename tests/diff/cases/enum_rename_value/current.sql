CREATE TYPE state AS ENUM ('new', 'payed', 'shipped');
CREATE TABLE o (s state DEFAULT 'new');
