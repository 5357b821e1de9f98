CREATE TABLE docs (id int);
