CREATE TABLE other (x int);
CREATE TABLE t (id serial PRIMARY KEY, small smallserial, big bigserial);
