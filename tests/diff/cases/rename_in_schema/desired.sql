CREATE SCHEMA app;
-- mig:renamed-from old_name
CREATE TABLE app.new_name (id int);
