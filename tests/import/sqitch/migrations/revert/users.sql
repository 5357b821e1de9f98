-- Revert users

BEGIN;

DROP TABLE flipr.users;

COMMIT;
