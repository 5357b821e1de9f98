CREATE SCHEMA rpt;
CREATE TABLE sales (id int, amount int);
CREATE VIEW rpt.totals AS SELECT sum(amount) AS total FROM public.sales;
