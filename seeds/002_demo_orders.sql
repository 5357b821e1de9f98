-- Demo data: one order per account, once.
INSERT INTO orders (account_id, total_cents)
SELECT a.id, 4200 FROM accounts a
WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.account_id = a.id);
