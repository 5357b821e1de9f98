#!/usr/bin/env bash
# The five-minute tour: installs what is missing, builds, starts a throwaway
# PostgreSQL under .mig-demo/ (or uses DATABASE_URL), and runs the runbook on
# migrations/: status, apply, status --check, a round trip down and up again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build
export PATH="$root/build/tools:$PATH"

if [ -z "${DATABASE_URL:-}" ]; then
  cluster="$root/.mig-demo"
  scripts/pg-cluster.sh stop "$cluster" 2>/dev/null || true
  trap 'scripts/pg-cluster.sh stop "$cluster"' EXIT
  eval "$(scripts/pg-cluster.sh start "$cluster")"
  psql -X -q -c "CREATE DATABASE mig_demo" >/dev/null
  export PGDATABASE=mig_demo
  echo "== throwaway PostgreSQL at $PGHOST:$PGPORT, database mig_demo"
fi

step() { printf '\n== %s\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "what is pending"            mig-status --format text
step "apply, with progress events" mig-apply --format json --events
step "ready for traffic?"         mig-status --format text --check
step "roll back the last batch"   mig-apply --format text --down
step "and forward again"          mig-apply --format text
step "the history table"          psql -X -c "SELECT version, name, status, batch, execution_ms FROM migration_history ORDER BY version"
printf '\n== done: every step exited 0\n'
