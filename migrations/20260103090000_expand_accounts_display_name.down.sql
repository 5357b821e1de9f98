-- mig-lint:ignore ban-drop-column
ALTER TABLE accounts DROP COLUMN display_name;
