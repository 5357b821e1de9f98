CREATE TYPE state AS ENUM ('paid');
