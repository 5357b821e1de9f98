CREATE SCHEMA rpt;
CREATE TABLE sales (id int, amount int);
