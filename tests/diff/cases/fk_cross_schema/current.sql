CREATE SCHEMA billing;
CREATE TABLE public.accounts (id int PRIMARY KEY);
