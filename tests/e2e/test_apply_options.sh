#!/usr/bin/env bash
# --to, --steps, --single-transaction, --baseline, out-of-order, mig.json and env.
source "$(dirname "$0")/lib.sh"

for i in 1 2 3 4; do migration "${i}_m$i" "CREATE TABLE m$i (id int);"; done

run mig-apply --steps 1 --metrics-file apply.prom
expect_json '[.data.applied[].version] | join(",")' 1
expect_contains "$(cat apply.prom)" "db_migration_status 1" "metrics file"
expect_contains "$(cat apply.prom)" "db_migration_total 1" "metrics file"
expect_contains "$(cat apply.prom)" "db_migration_pending 3" "metrics file"
run mig-apply --to 3
expect_json '[.data.applied[].version] | join(",")' 2,3
run mig-apply --single-transaction
expect_rc 0 "single transaction"
expect_json '[.data.applied[].version] | join(",")' 4

# A pending version below the newest applied one.
migration "0_early" "CREATE TABLE early (id int);"
run mig-apply
expect_rc 3 "out of order refused"
expect_json '.error.kind' out_of_order
run mig-apply --allow-out-of-order
expect_rc 0 "out of order allowed"
expect_sql "SELECT to_regclass('early') IS NOT NULL" t

# Baseline: adopt an existing database with no history.
sql "DROP TABLE migration_history"
run mig-apply --baseline 3
expect_rc 0 "baseline"
expect_json '[.data.baselined[].version] | join(",")' 0,1,2,3
run mig-status --check
expect_rc 1 "4 still pending after baseline 3"
run mig-apply --baseline 3
expect_rc 3 "baseline on a non-empty history"

# mig.json and environment: history table elsewhere.
echo '{"schema": "ops", "table": "mig_log", "lock_timeout": "2s"}' > mig.json
run mig-status
expect_json '.data.pending | length' 5
run mig-apply --dir migrations --baseline 4
expect_rc 0 "baseline into the mig.json table"
expect_sql "SELECT count(*) FROM ops.mig_log" 5
MIG_TABLE=env_log run mig-status
expect_json '.data.applied | length' 0
echo '{"schema": ' > mig.json
run mig-status
expect_rc 3 "malformed mig.json"
rm mig.json

# --metrics-file after a failure: 4 is pending, but its table was left by the baseline above.
run mig-apply --metrics-file apply.prom
expect_rc 5 "failing apply with --metrics-file"
expect_contains "$(cat apply.prom)" "db_migration_status 0" "metrics file after a failure"
expect_contains "$(cat apply.prom)" "db_migration_pending 1" "metrics file after a failure"

run mig-apply --steps 0
expect_rc 2 "--steps 0"
run mig-apply --lock-wait soon
expect_rc 2 "bad duration"
expect_contains "$(echo "$OUT" | jq -r .error.message)" "lock-wait" "bad duration names the flag"
run mig-apply --steps x
expect_rc 2 "bad number"
expect_contains "$(echo "$OUT" | jq -r .error.message)" "--steps" "bad number names the flag"
finish
