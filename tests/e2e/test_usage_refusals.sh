#!/usr/bin/env bash
# Flags, positionals, durations, config keys and files that would be ignored (or
# would apply everything) are refused before anything connects: exit 2 for usage,
# 3 for bad input. The DSN points at a closed port, so connecting would be exit 4.
source "$(dirname "$0")/lib.sh"

migration 1_one "CREATE TABLE one (id int);"
migration 2_two "CREATE TABLE two (id int);"
nowhere="host=127.0.0.1 port=1 connect_timeout=2"

for args in "--to abc" "--to -1" "--to 1.5" "1" "--forget" "--down --baseline 1" "--down --repair 1" \
            "--repair 1 --baseline 1" "--to 1 --steps 1" "--down --plan x.json" "--baseline 1 --to 2" \
            "--repair x" "--lock-wait 9999999999h" "--lock-timeout 99999999999999999999h" "--retries -1" \
            "--steps 0" "--format yaml"; do
  # shellcheck disable=SC2086
  run mig-apply --dsn "$nowhere" $args
  expect_rc 2 "mig-apply $args"
  expect_json '.error.kind' usage
done
run mig-status --dsn "$nowhere" extra
expect_rc 2 "mig-status with a stray positional"
expect_contains "$OUT" "unexpected argument 'extra'"
run mig-start-prod --dsn "$nowhere" stray -- true
expect_rc 2 "mig-start-prod with a positional before --"
run mig-start-prod --dsn "$nowhere" --lock-wait-timeout 5x -- true
expect_rc 2 "mig-start-prod --lock-wait-timeout with a bad value"
run mig-start-prod --dsn "$nowhere" --no-backup --lock-wait-timeout 5s -- true
expect_rc 2 "--lock-wait-timeout with --no-backup"
run mig-backup --dsn "$nowhere" --no-such-flag
expect_rc 2 "unknown flag"

# With the real database: none of the refusals above applied anything.
run mig-apply 1
expect_rc 2 "stray positional, real database"
expect_sql "SELECT to_regclass('migration_history') IS NULL AND to_regclass('one') IS NULL" t

# Directive durations that overflow: exit 3 naming file and line.
printf -- '-- mig:lock-timeout 99999999999999999999h\nCREATE TABLE three (id int);\n' > migrations/3_three.sql
run mig-apply
expect_rc 3 "overflowing directive"
expect_json '.error.file' migrations/3_three.sql
expect_json '.error.line' 1
expect_sql "SELECT to_regclass('one') IS NULL" t
rm migrations/3_three.sql

# An empty or comment-only migration records a change that never happened.
printf -- '-- nothing here yet\n/* still nothing */\n' > migrations/3_empty.sql
run mig-apply
expect_rc 3 "comment-only migration"
expect_json '.error.kind' empty_migration
expect_json '.error.file' migrations/3_empty.sql
expect_sql "SELECT to_regclass('one') IS NULL" t
rm migrations/3_empty.sql

# A misspelt mig.json key is named, not ignored.
printf '{"lock_timeout": "1s", "lock_timout": "2s"}\n' > mig.json
run mig-apply
expect_rc 3 "unknown mig.json key"
expect_json '.error.kind' bad_config
expect_contains "$OUT" 'unknown key \"lock_timout\"'
rm mig.json

# In a pipe the document goes on stdout; the person reads stderr: the usage error is on both.
run mig-apply --steps two --format json
expect_rc 2 "--steps two"
expect_json '.error.kind' usage
expect_contains "$ERR" "mig-apply: error: --steps: 'two' is not a whole number" "stderr"

# --help lists only what the tool accepts: mig-fleet's refused tool flags are not in it.
mig-fleet --help >fleet-help.txt
for flag in --dir --schema --table --events; do
  if grep -q -- "^ *$flag " fleet-help.txt; then fail "mig-fleet --help lists $flag, which it refuses"; else pass; fi
done
run mig-fleet --dir migrations -- mig-status
expect_rc 2 "mig-fleet --dir before --"
expect_contains "$ERR" "put it after --" "stderr"

# Durations: every unit the help names is accepted; the error lists them.
run mig-status --lock-wait 2d
expect_rc 2 "mig-status has no --lock-wait"
run mig-apply --lock-wait 1d --plan /nonexistent
expect_not_contains "$ERR$OUT" "not a duration"
run mig-apply --lock-wait 2w
expect_rc 2 "--lock-wait 2w"
expect_contains "$ERR" "ms, s, min, h or d" "stderr"
expect_contains "$ERR" "--lock-wait: '2w'" "the error names the flag as typed"
# A bad value from the environment or mig.json names where it came from.
MIG_LOCK_TIMEOUT=zz run mig-apply
expect_rc 2 "MIG_LOCK_TIMEOUT=zz"
expect_contains "$ERR" "MIG_LOCK_TIMEOUT: 'zz'" "the error names the variable"
mkdir from_file && printf '{"statement_timeout": "soon"}\n' >from_file/mig.json
(cd from_file && run mig-status && printf '%s\n%s\n' "$RC" "$ERR" >../from_file.out)
expect_contains "$(cat from_file.out)" 'mig.json "statement_timeout": '"'soon'" "the error names the mig.json key"
[ "$(head -n 1 from_file.out)" = 2 ] && pass || fail "a bad mig.json value: exit $(head -n 1 from_file.out), want 2"

# Colour only on a terminal, and never with NO_COLOR set (script(1) gives the tool a terminal).
printf 'ALTER TABLE one ADD COLUMN b bigint NOT NULL;\n' >bad.sql
on_tty=$(env -u NO_COLOR script -qc "mig-lint --format text bad.sql" /dev/null)
expect_contains "$on_tty" $'\033[1;31merror\033[0m' "mig-lint on a terminal"
no_colour=$(NO_COLOR=1 script -qc "mig-lint --format text bad.sql" /dev/null)
expect_not_contains "$no_colour" $'\033[' "mig-lint with NO_COLOR"
piped=$(mig-lint --format text bad.sql)
expect_not_contains "$piped" $'\033[' "mig-lint into a pipe"
rm bad.sql

# The environment switches are settings too: a value that is neither true nor false is refused
# before anything connects (it used to read as false).
MIG_SESSION_POOLER=maybe run mig-apply --format json
expect_rc 2 "MIG_SESSION_POOLER=maybe"
expect_contains "$ERR" "MIG_SESSION_POOLER: 'maybe'" "stderr"
expect_json '.database' null  # refused before connecting
ALLOW_BREAKING_MIGRATIONS=yes run mig-lint --format json
expect_rc 2 "ALLOW_BREAKING_MIGRATIONS=yes"

run mig-apply
expect_rc 0 "the valid set applies"
expect_json '.data.applied | length' 2
finish
