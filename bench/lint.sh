#!/usr/bin/env bash
# Lints a generated 80,000-statement (~4 MB) migration with mig-lint and, when
# npm can install it, squawk (squawk-cli from the npm registry), alternating,
# in one run. Prints median wall time, MB/s and peak RSS, and the ratio.
#   bench/lint.sh [ROUNDS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source "$root/bench/lib.sh"
rounds=${1:-5}
require_built mig-lint
out="$root/bench/out"
mkdir -p "$out"
file="$out/big.sql"

# A mix of what real migrations hold: DDL the rules look at, and bulk DML.
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
}' > "$file"
bytes=$(stat -c %s "$file")

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

mig_ms=(); mig_kb=(); sq_ms=(); sq_kb=()
for round in $(seq 1 "$rounds"); do
  read -r ms kb < <(measure "$bin/mig-lint" --format json "$file"); mig_ms+=("$ms"); mig_kb+=("$kb")
  # squawk needs minutes on this file here: once, in the middle of the run, unless SQUAWK_ROUNDS says more.
  if [ -n "$squawk" ] && [ "$round" -le "${SQUAWK_ROUNDS:-1}" ]; then
    read -r ms kb < <(measure "$squawk" --reporter json "$file"); sq_ms+=("$ms"); sq_kb+=("$kb")
  fi
done
statements=$("$bin/mig-lint" --format json "$file" | jq .data.statements)
m_ms=$(printf '%s\n' "${mig_ms[@]}" | median); m_kb=$(printf '%s\n' "${mig_kb[@]}" | median)
echo "lint $statements statements, $((bytes / 1024)) KiB, $rounds rounds alternating, medians:"
awk -v ms="$m_ms" -v kb="$m_kb" -v b="$bytes" 'BEGIN {printf "  mig-lint      %6d ms  %6.1f MB/s  peak RSS %5.1f MB  (targets: >= 10 MB/s, < 130 MB)\n", ms, b / 1e6 / (ms / 1000), kb / 1024}'
if [ -n "$squawk" ] && [ ${#sq_ms[@]} -gt 0 ]; then
  s_ms=$(printf '%s\n' "${sq_ms[@]}" | median); s_kb=$(printf '%s\n' "${sq_kb[@]}" | median)
  awk -v ms="$s_ms" -v kb="$s_kb" -v b="$bytes" -v n="${#sq_ms[@]}" 'BEGIN {printf "  squawk 2.66   %6d ms  %6.1f MB/s  peak RSS %5.1f MB  (%d run(s))\n", ms, b / 1e6 / (ms / 1000), kb / 1024, n}'
  awk -v a="$m_ms" -v b="$s_ms" 'BEGIN {printf "  mig-lint takes %.2fx squawk'\''s time\n", a / b}'
else
  echo "  (squawk not measured: npm could not install squawk-cli, or SQUAWK_ROUNDS=0)"
fi
