#!/usr/bin/env bash
# The production flow as one pipe: lint, back up, apply, check. Each tool reads
# the previous one's result document; the first failure stops everything after
# it (they do nothing and pass its exit code on), and this script says where.
#   scripts/runbook.sh [--backup-dir DIR]      (DATABASE_URL or PG* say which database)
set -euo pipefail
backup_dir=${MIG_BACKUP_DIR:-./backups}
if [ "${1:-}" = "--backup-dir" ]; then backup_dir=$2; fi
here=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$here/build/tools/mig-lint" ] && export PATH="$here/build/tools:$PATH"

result=$(mktemp)
trap 'rm -f "$result"' EXIT
set +e
mig-lint --format json \
  | mig-backup --from - --format json --backup-dir "$backup_dir" \
  | mig-apply --from - --format json \
  | mig-status --from - --format json --check > "$result"
status=$?
set -e

# The last document carries every earlier one in "upstream": report the first that failed.
jq -r '
  ([.upstream[], (. | del(.upstream))] | map(select(.ok == false)) | first) as $failed
  | if $failed == null then "runbook: done: lint, backup \(.upstream[] | select(.tool == "mig-backup") | .data.backup.id), apply, status all ok"
    else "runbook: stopped at \($failed.tool) (exit \($failed.exit_code)): \($failed.error.message)" end
' "$result" >&2
exit "$status"
