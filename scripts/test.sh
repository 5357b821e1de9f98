#!/usr/bin/env bash
# Installs what is missing, builds, starts a throwaway PostgreSQL 15, runs
# every test with ctest, and stops the cluster even when a test fails.
#   scripts/test.sh                 everything
#   scripts/test.sh -R e2e.test_kill9   extra arguments go to ctest
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh
bash scripts/install-js-tools.sh
build=${MIG_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIG_WERROR=ON >/dev/null
cmake --build "$build"

cluster=$(mktemp -d /tmp/mig-test-pg.XXXXXX)
trap '"$root/scripts/pg-cluster.sh" stop "$cluster"' EXIT
eval "$(scripts/pg-cluster.sh start "$cluster")"
echo "test cluster: $PGHOST port $PGPORT ($(psql -X -At -c 'SHOW server_version'))"

cd "$build"
ctest --output-on-failure --timeout 300 -j "$(nproc)" "$@"
