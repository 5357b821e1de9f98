CREATE SCHEMA billing;
CREATE TYPE billing.tier AS ENUM ('gold', 'bronze', 'silver');
CREATE TABLE billing.plans (tier billing.tier PRIMARY KEY, price int);
CREATE TABLE billing.accounts (id int PRIMARY KEY, tier billing.tier DEFAULT 'bronze' REFERENCES billing.plans);
CREATE VIEW billing.tiers AS SELECT tier, count(*) FROM billing.accounts GROUP BY tier;
INSERT INTO billing.plans VALUES ('gold', 3), ('silver', 2), ('bronze', 1);
INSERT INTO billing.accounts VALUES (1, 'gold'), (2, 'silver');
