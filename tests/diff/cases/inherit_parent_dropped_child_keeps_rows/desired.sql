CREATE TABLE logs (id int NOT NULL, created timestamptz DEFAULT now(), msg text);
