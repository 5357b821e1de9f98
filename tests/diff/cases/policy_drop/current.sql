CREATE TABLE docs (id int, owner text);
CREATE POLICY own ON docs USING (owner = current_user);
