CREATE TYPE state AS ENUM ('new', 'paid');
