#!/usr/bin/env bash
# Bad migration sets are refused (exit 3) naming the file, before anything
# touches the database: quotes, symlinks out of the folder, bad encodings,
# duplicates, orphans.
source "$(dirname "$0")/lib.sh"

migration 1_ok "CREATE TABLE ok (id int);"

refused() {  # refused WHY: mig-apply exits 3 naming $bad, and created nothing
  run mig-apply
  expect_rc 3 "$1"
  expect_contains "$(echo "$OUT" | jq -r .error.message)" "$bad" "$1: error names the file"
  expect_sql "SELECT to_regclass('ok') IS NULL AND to_regclass('migration_history') IS NULL" t
}

bad="2_it's.sql";            touch "migrations/$bad";                      refused "quote in name";       rm "migrations/$bad"
bad="2_a b.sql";             touch "migrations/$bad";                      refused "space in name";       rm "migrations/$bad"
bad="2_x;drop.sql";          touch "migrations/$bad";                      refused "semicolon in name";   rm "migrations/$bad"
bad="2_evil.sql";            ln -s /etc/passwd "migrations/$bad";           refused "absolute symlink";    rm "migrations/$bad"
echo "SELECT 1;" > outside.sql
bad="2_up.sql";              ln -s ../outside.sql "migrations/$bad";        refused "../ symlink";         rm "migrations/$bad"
bad="notes.sql";             touch "migrations/$bad";                      refused "stray sql file";      rm "migrations/$bad"
bad="2_latin1.sql";          printf "INSERT INTO t VALUES ('caf\xe9');\n" > "migrations/$bad"; refused "Latin-1 byte"; rm "migrations/$bad"
bad="2_nul.sql";             printf 'SELECT 1;\n\0\n' > "migrations/$bad";  refused "NUL byte";            rm "migrations/$bad"
bad="01_dup.sql";            touch "migrations/$bad";                      refused "duplicate version";   rm "migrations/$bad"
bad="7_orphan.down.sql";     touch "migrations/$bad";                      refused "down without up";     rm "migrations/$bad"
bad="123456789012345678901_long.sql"; touch "migrations/$bad";             refused "21-digit version";    rm "migrations/$bad"

# Allowed: a symlink that stays inside the folder, a BOM, a README.
echo "CREATE TABLE linked (id int);" > migrations/target.txt
ln -s target.txt migrations/2_linked.sql
printf '\xef\xbb\xbfCREATE TABLE bom (id int);\n' > migrations/3_bom.sql
echo "notes" > migrations/README.md
run mig-apply
expect_rc 0 "symlink inside the folder, BOM and README are fine"
expect_sql "SELECT count(*) FROM pg_tables WHERE tablename IN ('ok', 'linked', 'bom')" 3

run mig-status --dir does-not-exist
expect_rc 3 "missing folder"
finish
