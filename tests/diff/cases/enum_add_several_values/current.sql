CREATE TYPE state AS ENUM ('b', 'd');
