#!/usr/bin/env bash
# mig-lint as CI uses it: exit codes, file:line:col, the four reporters,
# folder rules, severities from --rule / mig.json / ALLOW_BREAKING_MIGRATIONS,
# and a failed lint stopping the pipe before anything touches the database.
source "$(dirname "$0")/lib.sh"

migration 1_accounts "CREATE TABLE accounts (id bigint PRIMARY KEY, email text);" up
migration 1_accounts "DROP TABLE accounts;" down
printf -- '-- adds an index\n\nCREATE INDEX accounts_email ON accounts (email);\n' > migrations/2_index.up.sql
migration 2_index "DROP INDEX accounts_email;" down

run mig-lint
expect_rc 0 "warnings only"
expect_json '.tool' mig-lint
expect_json '.data.files' 4
expect_json '.data.statements' 4
expect_json '[.data.findings[] | select(.rule == "require-concurrent-index-creation")] | length' 1
expect_json '.data.findings[] | select(.rule == "require-concurrent-index-creation") | "\(.file):\(.line):\(.column):\(.severity)"' \
  "migrations/2_index.up.sql:3:1:warning"
expect_json '.data.findings[0].help | length > 10' true

run mig-lint --max-warnings 0
expect_rc 1 "--max-warnings 0"
expect_json '.error.kind' too_many_warnings

migration 3_drop "ALTER TABLE accounts DROP COLUMN email;" up
migration 3_drop "ALTER TABLE accounts ADD COLUMN email text;" down
run mig-lint
expect_rc 1 "a breaking change is an error"
expect_json '.ok' false
expect_json '.data.findings[] | select(.rule == "ban-drop-column") | .severity' error
ALLOW_BREAKING_MIGRATIONS=true run mig-lint
expect_rc 0 "ALLOW_BREAKING_MIGRATIONS=true"
expect_json '.data.findings[] | select(.rule == "ban-drop-column") | .severity' warning
run mig-lint --rule ban-drop-column=off
expect_rc 0 "--rule off"
expect_json '[.data.findings[] | select(.rule == "ban-drop-column")] | length' 0
echo '{"lint": {"ban-drop-column": "warning", "require-concurrent-index-creation": "error"}}' > mig.json
run mig-lint
expect_json '.data.findings[] | select(.rule == "ban-drop-column") | .severity' warning
expect_json '.data.findings[] | select(.rule == "require-concurrent-index-creation") | .severity' error
rm mig.json
run mig-lint --rule no-such-rule=off
expect_rc 2 "unknown rule"

# The reporters.
mig-lint --format text >text.out 2>/dev/null
expect_contains "$(cat text.out)" "migrations/3_drop.up.sql:1:1: error: dropping column accounts.email loses its data [ban-drop-column]" "text report"
expect_contains "$(tail -n 1 text.out)" "1 error(s)" "text summary"
mig-lint --format github >gh.out 2>/dev/null
expect_contains "$(cat gh.out)" "::error file=migrations/3_drop.up.sql,line=1,col=1,title=ban-drop-column::" "github annotation"
mig-lint --format sarif >sarif.json 2>/dev/null
expect_rc_sarif=$(jq -r '
  (.version == "2.1.0") and (.runs | length == 1) and (.runs[0].tool.driver.name == "mig-lint")
  and (.runs[0].tool.driver.rules | all(has("id")))
  and (.runs[0].results | length > 0)
  and (.runs[0].results | all(has("ruleId") and has("message") and (.message | has("text")) and has("locations")
       and (.locations[0].physicalLocation.artifactLocation.uri | length > 0)
       and (.locations[0].physicalLocation.region.startLine >= 1)
       and (.level == "error" or .level == "warning")))' sarif.json)
[ "$expect_rc_sarif" = true ] && pass || fail "SARIF misses required fields: $(head -c 400 sarif.json)"

# A failed lint stops the pipe: mig-apply does nothing and exits with lint's code.
mig-lint | mig-apply --from - >pipe.out 2>/dev/null; rc=$?
RC=$rc; OUT=$(tail -n 1 pipe.out); expect_rc 1 "pipe stops at lint"
expect_json '.error.kind' upstream_failed
expect_sql "SELECT to_regclass('accounts') IS NULL" t

# Folder rules.
rm migrations/3_drop.*
touch migrations/4_empty.sql
printf 'CREATE INDEX orphan_i ON accounts (id);\n' > migrations/5_orphan.down.sql
printf 'SELECT 1;\n' > migrations/02_dup.sql
printf 'notes\n' > migrations/notes.sql
printf "SELECT 'caf\xe9';\n" > migrations/6_latin1.sql
run mig-lint
expect_rc 1 "folder problems"
for rule in empty-migration orphan-down duplicate-version file-name invalid-encoding missing-down; do
  expect_json "[.data.findings[] | select(.rule == \"$rule\")] | length > 0" true
done

# The orphan down file is linted too: it runs when somebody reverts by hand.
expect_json '[.data.findings[] | select(.file == "migrations/5_orphan.down.sql") | .rule] | sort' \
  '["orphan-down","require-concurrent-index-creation"]'

# Many findings stream out: the document is still one parseable line, and the
# text view still ends with its summary.
awk 'BEGIN { print "ALTER TABLE big ADD COLUMN c0 text;"; for (i = 1; i <= 3000; i++) printf "CREATE INDEX i%d ON big (c0);\nUPDATE big SET c0 = '\''x'\'';\n", i }' > many.sql
mig-lint --format json many.sql > many.json; rc=$?
RC=$rc; OUT=$(cat many.json); expect_rc 0 "findings-heavy file"
[ "$(wc -l < many.json)" -eq 1 ] && pass || fail "the result document is not one line"
expect_json '.data.warnings' 6001
expect_json '[.data.findings[] | select(.rule == "statement-after-access-exclusive")] | length' 1
expect_json '.data.findings | map(.line) | . == sort' true
mig-lint --format text many.sql > many.txt
expect_contains "$(tail -n 1 many.txt)" "0 error(s), 6001 warning(s) in 1 file(s), 6001 statement(s)" "text summary"
mig-lint --format sarif many.sql > many.sarif
expect_contains "$(jq '.runs[0].results | length' many.sarif)" "6001" "every finding in SARIF"

# --search-path: where unqualified names live, for the new-table exemption.
printf 'CREATE TABLE app.items (id bigint);\nCREATE INDEX items_id ON items (id);\n' > schema_app.sql
run mig-lint schema_app.sql
expect_json '[.data.findings[] | select(.rule == "require-concurrent-index-creation")] | length' 1
run mig-lint --search-path '"$user", app, public' schema_app.sql
expect_json '[.data.findings[] | select(.rule == "require-concurrent-index-creation")] | length' 0
run mig-lint --search-path ' , $user' schema_app.sql
expect_rc 2 "a search path without a schema"

run mig-lint does/not/exist
expect_rc 3 "unreadable path"
run mig-lint migrations/2_index.up.sql
expect_rc 0 "a single file"
expect_json '.data.files' 1
finish
