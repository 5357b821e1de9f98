CREATE SCHEMA billing;
CREATE TABLE public.accounts (id int PRIMARY KEY);
CREATE TABLE billing.invoices (id int PRIMARY KEY, account_id int REFERENCES public.accounts (id));
