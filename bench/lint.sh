#!/usr/bin/env bash
# Lints two generated 80,000-statement (~4 MB) migrations, one with few
# findings and one where most statements are findings, with mig-lint in every
# --format and, when npm can install it, squawk (squawk-cli from the npm
# registry), alternating, in one run. Prints median wall time, peak RSS, and
# the ratios to squawk.
#   bench/lint.sh [ROUNDS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source "$root/bench/lib.sh"
rounds=${1:-5}
require_built mig-lint
out="$root/bench/out"
mkdir -p "$out"

# Two files of 80,000 statements (~4 MB each). "few": a mix of what real
# migrations hold, DDL the rules look at and bulk DML, with few findings.
# "heavy": most statements are findings (ADD COLUMN, CREATE INDEX, DROP COLUMN,
# UPDATE without WHERE, functions with $$ bodies), all after an ALTER TABLE
# that takes ACCESS EXCLUSIVE: ~110,000 findings for squawk.
awk 'BEGIN {
  for (i = 0; i < 80000; i++) {
    k = i % 8; t = "t_" int(i / 8);
    if (k == 0) printf "CREATE TABLE %s (id bigint PRIMARY KEY, v text);\n", t;
    else if (k == 1) printf "ALTER TABLE %s ADD COLUMN c%d text;\n", t, i;
    else if (k == 2) printf "CREATE INDEX i_%d ON %s (v);\n", i, t;
    else if (k == 3) printf "INSERT INTO %s (id, v) VALUES (%d, '\''row %d'\'');\n", t, i, i;
    else if (k == 4) printf "UPDATE %s SET v = '\''x'\'' WHERE id = %d;\n", t, i;
    else if (k == 5) printf "-- a comment about step %d\nCOMMENT ON TABLE %s IS '\''step %d'\'';\n", i, t, i;
    else if (k == 6) printf "INSERT INTO %s (id, v) SELECT g, g::text FROM generate_series(1, 10) g;\n", t;
    else printf "DELETE FROM %s WHERE id < %d;\n", t, i;
  }
}' > "$out/few.sql"
awk 'BEGIN {
  for (i = 0; i < 80000; i++) {
    k = i % 8; t = "orders_" int(i / 64);
    if (k == 0 || k == 5) printf "ALTER TABLE %s ADD COLUMN c%d integer;\n", t, i;
    else if (k == 1 || k == 6) printf "CREATE INDEX i_%d ON %s (c%d);\n", i, t, i - 1;
    else if (k == 2) printf "ALTER TABLE %s DROP COLUMN c%d;\n", t, i - 2;
    else if (k == 3 || k == 7) printf "UPDATE %s SET v = '\''x'\'';\n", t;
    else printf "CREATE FUNCTION f_%d() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN %d; END $$;\n", i, i;
  }
}' > "$out/heavy.sql"

squawk=""
if command -v npm >/dev/null 2>&1; then
  if [ ! -x "$out/squawk/node_modules/.bin/squawk" ]; then
    mkdir -p "$out/squawk"
    (cd "$out/squawk" && npm install --silent --no-audit --no-fund squawk-cli@2.66.0 >/dev/null 2>&1) || true
  fi
  [ -x "$out/squawk/node_modules/.bin/squawk" ] && squawk="$out/squawk/node_modules/.bin/squawk"
fi

measure() {  # prints "ms kb" for one run of the command (time -o also notes a non-zero exit: take the last line)
  /usr/bin/time -f '%e %M' -o "$out/time.txt" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$out/time.txt" | awk '{printf "%d %d\n", $1 * 1000, $2}'
}

formats="json text github sarif"
declare -A ms kb
for round in $(seq 1 "$rounds"); do
  for file in few heavy; do
    for format in $formats; do
      read -r t m < <(measure "$bin/mig-lint" --format "$format" "$out/$file.sql")
      ms[$file.$format]+="$t "; kb[$file.$format]+="$m "
    done
    # squawk took minutes on the "few" file in session 1: SQUAWK_ROUNDS bounds its runs.
    if [ -n "$squawk" ] && [ "$round" -le "${SQUAWK_ROUNDS:-$rounds}" ]; then
      read -r t m < <(measure "$squawk" --reporter json "$out/$file.sql")
      ms[$file.squawk]+="$t "; kb[$file.squawk]+="$m "
    fi
  done
done

med() { printf '%s\n' $1 | median; }
for file in few heavy; do
  bytes=$(stat -c %s "$out/$file.sql")
  findings=$({ "$bin/mig-lint" --format json "$out/$file.sql" || true; } | jq '.data.findings | length')
  echo "$file.sql: 80000 statements, $((bytes / 1024)) KiB, $findings mig-lint findings; $rounds rounds alternating, medians:"
  s_ms=""; s_kb=""
  if [ -n "${ms[$file.squawk]:-}" ]; then
    s_ms=$(med "${ms[$file.squawk]}"); s_kb=$(med "${kb[$file.squawk]}")
    sq_findings=$({ "$squawk" --reporter json "$out/$file.sql" 2>/dev/null || true; } | jq length)
    awk -v ms="$s_ms" -v kb="$s_kb" -v n="$sq_findings" 'BEGIN {printf "  squawk 2.66 json  %6d ms  peak RSS %6.1f MB  (%s findings)\n", ms, kb / 1024, n}'
  fi
  for format in $formats; do
    m_ms=$(med "${ms[$file.$format]}"); m_kb=$(med "${kb[$file.$format]}")
    awk -v f="$format" -v ms="$m_ms" -v kb="$m_kb" -v b="$bytes" -v sms="$s_ms" -v skb="$s_kb" 'BEGIN {
      printf "  mig-lint %-8s %6d ms  peak RSS %6.1f MB  %5.1f MB/s", f, ms, kb / 1024, b / 1e6 / (ms / 1000);
      if (sms != "") printf "  speed %.2fx squawk, memory %.2fx squawk", sms / ms, kb / skb;
      printf "\n" }'
  done
done
[ -n "$squawk" ] || echo "  (squawk not measured: npm could not install squawk-cli)"
