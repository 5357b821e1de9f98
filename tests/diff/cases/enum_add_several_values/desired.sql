CREATE TYPE state AS ENUM ('a', 'b', 'c', 'd', 'e');
