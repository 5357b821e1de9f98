CREATE TYPE level AS ENUM ('low', 'mid', 'high', 'critical');
CREATE TABLE alerts (id int PRIMARY KEY, lvl level NOT NULL, CONSTRAINT alerts_not_mid CHECK (lvl <> 'mid'));
CREATE VIEW urgent AS SELECT id FROM alerts WHERE lvl = 'critical';
