CREATE TABLE b (id int, a_id int);
