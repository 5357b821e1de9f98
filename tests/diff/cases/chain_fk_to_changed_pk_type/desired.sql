CREATE TABLE p (id bigint PRIMARY KEY);
CREATE TABLE c (id int, p_id bigint REFERENCES p (id));
