CREATE SCHEMA app;
CREATE TABLE app.old_name (id int);
