#!/usr/bin/env bash
# mig-start-prod's status page (GET / on --listen) as an operator sees it
# during a deploy: not ready with the pending migrations while migrating; then
# ready, the applied migrations with times and durations, the workers. A real
# headless browser (Debian's chromium) renders it and takes a screenshot.
source "$(dirname "$0")/lib.sh"

page() { curl -s "http://127.0.0.1:$port/"; }

migration 1_accounts "CREATE TABLE accounts (id bigint PRIMARY KEY);"
migration 2_slow_index "CREATE TABLE orders (id bigint); SELECT pg_sleep(2);"
port=$(free_port)
mig-start-prod --no-backup --workers 2 --listen "127.0.0.1:$port" -- sleep 60 > sp.out 2>&1 &
pid=$!
wait_for_query mig-start-prod pg_sleep
during=$(page)
expect_contains "$during" "not ready" "page while migrating"
expect_contains "$during" "<td>2</td><td>slow_index</td><td>pending</td>" "the pending migration"
expect_contains "$during" "<td>migrate</td><td>running</td>" "the running step"
expect_contains "$during" '<meta http-equiv="refresh" content="2">' "self-refresh"

for _ in $(seq 1 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready")" = 200 ] && break; sleep 0.1; done
after=$(page)
expect_contains "$after" '<span class="badge ok">ready</span>' "ready badge"
expect_contains "$after" "<td>2</td><td>slow_index</td><td>applied</td>" "applied migration"
expect_contains "$after" "<td>1</td><td>accounts</td><td>applied</td>" "first migration"
expect_contains "$after" "2 applied, 0 pending" "counts"
expect_contains "$after" "<td>2</td><td>running</td>" "second worker running"
expect_contains "$after" "schema at version <code>2</code>" "verification"
expect_not_contains "$after" "<script" "no JavaScript"
expect_not_contains "$after" 'src="http' "no external asset"
expect_contains "$(curl -s -o /dev/null -w '%{content_type}' "http://127.0.0.1:$port/")" "text/html" "content type"
expect_contains "$(printf '%s' "$after" | grep -o '[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9:.]*Z' | head -n 1)" "T" "applied_at times"

# A real browser: Debian's chromium renders the page; its DOM has the state, and a screenshot is taken.
if command -v chromium >/dev/null; then
  browser=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$WORK/chromium")
  dom=$(timeout 60 "${browser[@]}" --dump-dom "http://127.0.0.1:$port/" 2>/dev/null)
  expect_contains "$dom" "migrated, verified, workers running" "rendered DOM"
  timeout 60 "${browser[@]}" --window-size=1100,900 --screenshot="$WORK/status.png" "http://127.0.0.1:$port/" >/dev/null 2>&1
  [ "$(head -c 8 "$WORK/status.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] && pass || fail "no PNG screenshot"
  [ "$(stat -c %s "$WORK/status.png" 2>/dev/null || echo 0)" -gt 10000 ] && pass || fail "screenshot too small to show the page"
else
  echo "note [test_status_page]: chromium not installed; checked the HTML only" >&2
fi
kill -TERM "$pid"; wait "$pid"
finish
