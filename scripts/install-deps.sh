#!/usr/bin/env bash
# Installs what mig needs to build, test and run, from Debian 12's packages.
# Idempotent: only packages that are missing are installed; safe to run again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libpq-dev libcxxopts-dev nlohmann-json3-dev libsimdjson-dev libspdlog-dev libfmt-dev
  libboost-dev libboost-filesystem-dev catch2 libpg-query-dev libprotobuf-c-dev libssl-dev
  libcpp-httplib-dev prometheus-cpp-dev libsystemd-dev
  postgresql postgresql-client pgbouncer python3 jq procps curl util-linux time
  help2man man-db file dpkg-dev chromium
  sqitch libdbd-pg-perl  # test_import_real_sets deploys a real Sqitch project with Sqitch itself
)
# test_import_js_tools runs the real Knex and Umzug (scripts/install-js-tools.sh):
# Debian's node and npm, unless a node with npm is installed already.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present" >&2
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}; run this script as root" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The postgresql package starts a cluster on 5432 we do not use; tests run their own.
echo "install-deps: done" >&2
