CREATE SCHEMA types;
CREATE DOMAIN types.positive AS numeric CONSTRAINT positive_check CHECK (VALUE > 0) CONSTRAINT not_huge CHECK (VALUE < 1000000);
