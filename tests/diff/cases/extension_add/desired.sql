CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE t (id int, token text DEFAULT encode(gen_random_bytes(8), 'hex'));
