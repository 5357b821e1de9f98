#!/usr/bin/env bash
# --from: an upstream failure stops the tool with the upstream's exit code;
# a backup id is recorded; a dryrun plan is applied exactly or refused.
source "$(dirname "$0")/lib.sh"

migration 1_a "CREATE TABLE a (id int);"
migration 2_b "CREATE TABLE b (id int);"

failed='{"schema":"mig/1","tool":"mig-lint","ok":false,"exit_code":1,"data":{},"error":{"kind":"check_failed","message":"x"},"upstream":[]}'
run mig-apply --from - <<<"$failed"
expect_rc 1 "upstream failed"
expect_json '.error.kind' upstream_failed
expect_json '.upstream[0].tool' mig-lint
expect_sql "SELECT to_regclass('a') IS NULL" t

backup='{"schema":"mig/1","tool":"mig-backup","ok":true,"exit_code":0,"data":{"backup":{"id":"20261121T000000Z-abc"}},"error":null,"upstream":[{"schema":"mig/1","tool":"mig-lint","ok":true,"exit_code":0,"data":{},"error":null,"upstream":[]}]}'
run mig-apply --steps 1 --from - <<<"$(printf '{"event":"progress"}\n%s' "$backup")"
expect_rc 0 "after a backup"
expect_json '.data.backup_id' 20261121T000000Z-abc
expect_json '[.upstream[].tool] | join(",")' mig-lint,mig-backup
expect_sql "SELECT backup_id FROM migration_history WHERE version = '1'" 20261121T000000Z-abc

status_doc=$(mig-status --from - <<<"$OUT")
expect_contains "$status_doc" '"tool":"mig-apply"' "status carries apply along"

sum_b=$(mig-status | jq -r '.data.pending[0].checksum')
echo "{\"schema\":\"mig/1\",\"tool\":\"mig-dryrun\",\"ok\":true,\"exit_code\":0,\"data\":{\"migrations\":[{\"version\":\"2\",\"checksum\":\"sha256:stale\"}]},\"error\":null,\"upstream\":[]}" > stale.json
run mig-apply --plan stale.json
expect_rc 3 "stale plan"
expect_json '.error.kind' plan_mismatch
expect_sql "SELECT to_regclass('b') IS NULL" t
echo "{\"schema\":\"mig/1\",\"tool\":\"mig-dryrun\",\"ok\":true,\"exit_code\":0,\"data\":{\"migrations\":[{\"version\":\"2\",\"checksum\":\"$sum_b\"}]},\"error\":null,\"upstream\":[]}" > plan.json
run mig-apply --from - < plan.json
expect_rc 0 "matching plan"
expect_sql "SELECT to_regclass('b') IS NOT NULL" t

run mig-apply --from - <<<"not json"
expect_rc 3 "no document upstream"
finish
