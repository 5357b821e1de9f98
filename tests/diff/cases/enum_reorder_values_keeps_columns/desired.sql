CREATE SCHEMA billing;
CREATE TYPE billing.tier AS ENUM ('bronze', 'silver', 'gold');
CREATE TABLE billing.plans (tier billing.tier PRIMARY KEY, price int);
CREATE TABLE billing.accounts (id int PRIMARY KEY, tier billing.tier DEFAULT 'bronze' REFERENCES billing.plans);
CREATE VIEW billing.tiers AS SELECT tier, count(*) FROM billing.accounts GROUP BY tier;
