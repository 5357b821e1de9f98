-- mig:renamed-from people
CREATE TABLE persons (
  id int PRIMARY KEY,
  -- mig:renamed-from nm
  name text NOT NULL DEFAULT ''
);
CREATE TABLE pets (id int, owner int REFERENCES persons (id));
