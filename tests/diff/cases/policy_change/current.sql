CREATE TABLE docs (id int, owner text);
CREATE POLICY own ON docs FOR SELECT USING (owner = current_user);
