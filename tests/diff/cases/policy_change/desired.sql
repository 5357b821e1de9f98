CREATE TABLE docs (id int, owner text);
CREATE POLICY own ON docs FOR ALL USING (owner = current_user) WITH CHECK (owner = current_user);
