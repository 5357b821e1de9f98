CREATE TABLE o (id int, s text);
