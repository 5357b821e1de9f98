#!/usr/bin/env bash
# mig-fleet shards for a distributed runner (a Kubernetes Indexed Job): N pods
# with the same targets file, each with --shard I/N (or --shards N and
# JOB_COMPLETION_INDEX=I), run every target exactly once between them.
# Bad shard values are refused before anything runs.
source "$(dirname "$0")/lib.sh"

migration 1_items "CREATE TABLE items (id bigint PRIMARY KEY);"
# 25 targets, all this test's database: each run is a read-only mig-status.
printf '[' >targets.json
for i in $(seq -w 1 25); do
  printf '%s{"name": "tenant_%s", "dsn": "host=%s port=%s dbname=%s"}' "$([ "$i" = 01 ] || echo ,)" "$i" "$PGHOST" "$PGPORT" "$PGDATABASE" >>targets.json
done
printf ']\n' >>targets.json

: >ran.txt
for i in 0 1 2 3; do
  mig-fleet --targets targets.json --shard "$i/4" --format json -- mig-status >"shard$i.out" 2>"shard$i.err"
  rc=$?
  [ $rc = 0 ] && pass || fail "shard $i/4 exit $rc: $(cat "shard$i.err")"
  jq -r 'select(.target) | .target' "shard$i.out" >>ran.txt
  [ "$(tail -n 1 "shard$i.out" | jq -c '[.data.shard.index, .data.shard.count, .data.shard.of_targets]')" = "[$i,4,25]" ] && pass ||
    fail "shard $i/4 document: $(tail -n 1 "shard$i.out")"
done
[ "$(sort ran.txt | uniq | wc -l)" = 25 ] && pass || fail "4 shards ran $(sort -u ran.txt | wc -l) distinct targets, want 25"
[ "$(wc -l <ran.txt)" = 25 ] && pass || fail "4 shards ran $(wc -l <ran.txt) targets in all, want 25 (each once)"
[ "$(sort -u shard*.out | jq -r 'select(.target) | .target' | sort | uniq -d | wc -l)" = 0 ] && pass || fail "a target ran in two shards"

# An Indexed Job's pod: --shards N with JOB_COMPLETION_INDEX picks the same targets as --shard I/N.
JOB_COMPLETION_INDEX=2 mig-fleet --targets targets.json --shards 4 --format json -- mig-status >job.out 2>job.err
[ "$(jq -r 'select(.target) | .target' job.out | sort)" = "$(jq -r 'select(.target) | .target' shard2.out | sort)" ] && pass ||
  fail "JOB_COMPLETION_INDEX=2 --shards 4 ran other targets than --shard 2/4"

# Refused before any target runs (exit 2), whatever is wrong with the shard.
for bad in "--shard 4/4" "--shard 1" "--shard -1/4" "--shard a/b" "--shard 0/0" "--shards 0" "--shards 4" "--shard 0/2 --shards 2"; do
  # shellcheck disable=SC2086
  run env -u JOB_COMPLETION_INDEX mig-fleet --targets targets.json $bad --format json -- mig-status
  expect_rc 2 "$bad"
  expect_not_contains "$(cat "$WORK/.out")" '"target"' "$bad: no target may run"
done
run env JOB_COMPLETION_INDEX=4 mig-fleet --targets targets.json --shards 4 --format json -- mig-status
expect_rc 2 "JOB_COMPLETION_INDEX outside --shards"
finish
