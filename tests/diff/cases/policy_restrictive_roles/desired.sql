CREATE TABLE docs (id int, owner text);
CREATE POLICY limit_reader ON docs AS RESTRICTIVE FOR SELECT TO mig_case_reader USING (id > 0);
