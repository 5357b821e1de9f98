CREATE AGGREGATE my_sum(int) (SFUNC = int4pl, STYPE = int);
CREATE TABLE t (id int);
