#!/usr/bin/env bash
# Installs the JavaScript migration tools test_import_js_tools runs (Knex,
# Umzug, Sequelize, pg) into tests/js/node_modules, exactly as
# tests/js/package-lock.json pins them, from the npm registry. Idempotent: a
# tree that matches the lock file is left alone. Needs node and npm
# (scripts/install-deps.sh installs Debian's when there are none).
set -euo pipefail
cd "$(dirname "$0")/../tests/js"
if [ -f node_modules/.package-lock.json ] && cmp -s <(jq -S .packages node_modules/.package-lock.json) \
     <(jq -S '.packages | del(."")' package-lock.json); then
  echo "install-js-tools: tests/js is up to date" >&2
  exit 0
fi
echo "install-js-tools: npm ci in tests/js" >&2
timeout 600 npm ci --no-audit --no-fund --loglevel=error
