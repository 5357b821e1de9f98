-- mig:renamed-from customers
CREATE TABLE clients (id int PRIMARY KEY, name text);
