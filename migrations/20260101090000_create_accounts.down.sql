-- mig-lint:ignore ban-drop-table
DROP TABLE accounts;
