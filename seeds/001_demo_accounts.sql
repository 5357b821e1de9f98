-- Demo data: a few accounts.
INSERT INTO accounts (email, display_name)
VALUES ('ada@example.com', 'Ada Lovelace'), ('grace@example.com', 'Grace Hopper')
ON CONFLICT (email) DO NOTHING;
