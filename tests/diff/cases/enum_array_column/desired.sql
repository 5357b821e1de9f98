CREATE TYPE tag AS ENUM ('x', 'y');
CREATE TABLE t (id int, tags tag[] DEFAULT '{}');
