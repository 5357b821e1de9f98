CREATE TYPE level AS ENUM ('low', 'high');
CREATE TABLE alerts (id int PRIMARY KEY, lvl level NOT NULL);
