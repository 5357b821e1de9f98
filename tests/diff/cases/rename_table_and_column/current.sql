CREATE TABLE people (id int PRIMARY KEY, nm text);
CREATE TABLE pets (id int, owner int REFERENCES people (id));
