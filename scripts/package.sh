#!/usr/bin/env bash
# Builds the Debian package: installs what is missing, builds (release, with
# man pages), and runs CPack. Prints the package's path on stdout.
#   scripts/package.sh            -> build-package/mig_<version>_amd64.deb
#   dpkg -i build-package/mig_*.deb   (or apt install ./build-package/mig_*.deb)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh >&2
build=${MIG_PACKAGE_BUILD_DIR:-build-package}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
cmake --build "$build" >&2
(cd "$build" && cpack -G DEB >&2)
ls "$PWD/$build"/mig_*_amd64.deb
