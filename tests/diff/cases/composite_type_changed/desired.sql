CREATE TYPE pair AS (a int, b int, c text COLLATE "C");
CREATE TABLE uses (id int, p pair);
