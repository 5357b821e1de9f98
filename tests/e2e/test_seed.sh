#!/usr/bin/env bash
# mig-seed: each seed once, in name order, in a transaction with its history
# row; a changed seed only with --rerun-changed; a failing seed leaves nothing.
source "$(dirname "$0")/lib.sh"

sql "CREATE TABLE plans (name text PRIMARY KEY, cents int)"
mkdir -p seeds
echo "INSERT INTO plans VALUES ('free', 0);" > seeds/001_free.sql
echo "INSERT INTO plans VALUES ('pro', 900);" > seeds/002_pro.sql
run mig-seed
expect_rc 0 "seed"
expect_json '[.data.seeded[].name] | join(",")' 001_free.sql,002_pro.sql
expect_sql "SELECT count(*) FROM plans" 2
expect_sql "SELECT count(*) FROM seed_history" 2

run mig-seed
expect_json '.data.seeded | length' 0
expect_json '.data.unchanged | length' 2

echo "UPDATE plans SET cents = 1200 WHERE name = 'pro';" > seeds/002_pro.sql
run mig-seed
expect_rc 0 "changed seed is skipped"
expect_json '.data.changed_skipped[0]' 002_pro.sql
expect_sql "SELECT cents FROM plans WHERE name = 'pro'" 900
run mig-seed --rerun-changed
expect_json '.data.seeded[0].name' 002_pro.sql
expect_sql "SELECT cents FROM plans WHERE name = 'pro'" 1200

printf "INSERT INTO plans VALUES ('team', 2000);\nINSERT INTO nope VALUES (1);\n" > seeds/003_team.sql
run mig-seed
expect_rc 5 "failing seed"
expect_json '.error.file' seeds/003_team.sql
expect_json '.error.line' 2
expect_json '.error.line' 2
expect_sql "SELECT count(*) FROM plans WHERE name = 'team'" 0
expect_sql "SELECT count(*) FROM seed_history WHERE name = '003_team.sql'" 0

run mig-seed --seeds missing-folder
expect_rc 3 "missing folder"
finish
