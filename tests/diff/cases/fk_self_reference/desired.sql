CREATE TABLE node (id int PRIMARY KEY, parent_id int REFERENCES node (id));
