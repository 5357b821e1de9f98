#!/usr/bin/env bash
# The README cannot drift from the tools: its flag tables are each tool's
# --help, and its walk-throughs (docs/tour.sh) are run here for real and
# compared with the README's text, times and ids masked (scripts/readme.sh --check).
source "$(dirname "$0")/lib.sh"
repo=$(cd "$(dirname "$0")/../.." && pwd)

if out=$(bash "$repo/scripts/readme.sh" --check 2>&1); then pass; else fail "README.md disagrees with the tools: $out"; fi

# The check can fail: an edited line in a generated block is found.
cp "$repo/README.md" README.copy
sed -i '0,/^| `--schema-dir DIR` |/s//| `--schema-folder DIR` |/' README.copy
if grep -q -- '--schema-folder DIR' README.copy; then pass; else fail "the planted edit did not land"; fi
mkdir -p planted/scripts planted/docs && cp "$repo/scripts/readme.sh" planted/scripts/ && cp "$repo/docs/tour.sh" planted/docs/ &&
  cp -r "$repo/migrations" "$repo/seeds" "$repo/schema" planted/ && cp README.copy planted/README.md
if bash planted/scripts/readme.sh --check >planted.out 2>&1; then
  fail "scripts/readme.sh --check passed a README with an edited flag table"
else
  expect_contains "$(cat planted.out)" "--schema-folder DIR" "the diff"
fi
finish
