#!/usr/bin/env bash
# up, down, up again: schema, history rows and batches follow.
source "$(dirname "$0")/lib.sh"

migration 1_accounts "CREATE TABLE accounts (id bigint PRIMARY KEY, email text);" up
migration 1_accounts "DROP TABLE accounts;" down
migration 2_orders "CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts);" up
migration 2_orders "DROP TABLE orders;" down

run mig-apply
expect_rc 0 "first up"
expect_json '.ok' true
expect_json '.data.direction' up
expect_json '[.data.applied[].version] | join(",")' 1,2
expect_json '.data.batch' 1
expect_sql "SELECT count(*) FROM migration_history WHERE status = 'applied' AND batch = 1" 2
expect_sql "SELECT to_regclass('orders') IS NOT NULL" t

migration 3_items "CREATE TABLE items (id int);" up
migration 3_items "DROP TABLE items;" down
run mig-apply
expect_json '.data.batch' 2
expect_json '[.data.applied[].version] | join(",")' 3

run mig-apply --down
expect_rc 0 "down reverts the last batch only"
expect_json '.data.direction' down
expect_json '[.data.reverted[].version] | join(",")' 3
expect_sql "SELECT to_regclass('items') IS NULL AND to_regclass('orders') IS NOT NULL" t

run mig-apply --down
expect_json '[.data.reverted[].version] | join(",")' 2,1
expect_sql "SELECT count(*) FROM migration_history" 0
expect_sql "SELECT to_regclass('accounts') IS NULL" t

run mig-apply
expect_rc 0 "up again"
expect_json '[.data.applied[].version] | join(",")' 1,2,3
expect_sql "SELECT string_agg(version, ',' ORDER BY version) FROM migration_history" 1,2,3

run mig-apply --down --steps 1
expect_json '[.data.reverted[].version] | join(",")' 3
run mig-apply --down --to 1
expect_json '[.data.reverted[].version] | join(",")' 2
expect_sql "SELECT string_agg(version, ',') FROM migration_history" 1

run mig-apply
expect_json '.data.applied | length' 2
run mig-apply
expect_rc 0 "no-op"
expect_json '.data.applied | length' 0
finish
