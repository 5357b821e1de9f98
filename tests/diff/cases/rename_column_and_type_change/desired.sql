CREATE TABLE t (
  id int,
  -- mig:renamed-from qty
  quantity bigint
);
