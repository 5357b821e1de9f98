CREATE TYPE order_state AS ENUM ('draft', 'new', 'paid');
CREATE TABLE orders (id bigint PRIMARY KEY, state order_state NOT NULL DEFAULT 'draft');
