#!/usr/bin/env bash
# The Debian package, as a user gets it: CPack builds it from this build, it
# is unpacked (dpkg-deb -x) into a temporary root, and from there every binary
# reports its version, mig applies and checks a migration, the man pages
# render, and the bash completion completes.
source "$(dirname "$0")/lib.sh"
build=$(cd "$MIG_BIN/.." && pwd)
[ -f "$build/CPackConfig.cmake" ] || { echo "skip: no CPack config in $build" >&2; exit 125; }

(cd "$build" && cpack --config CPackConfig.cmake -G DEB -B "$WORK/pkg") > cpack.log 2>&1 || { cat cpack.log >&2; fail "cpack failed"; finish; }
deb=$(ls "$WORK"/pkg/mig_*_amd64.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] && pass || { fail "no mig_<version>_amd64.deb in $(ls "$WORK/pkg")"; finish; }
expect_contains "$(dpkg-deb -f "$deb" Depends)" "libpq5" "dependencies found by dpkg-shlibdeps"
expect_contains "$(dpkg-deb -f "$deb" Depends)" "postgresql-client" "pg_dump's package"
root="$WORK/root"
dpkg-deb -x "$deb" "$root"

# Every binary from the unpacked root: version, commit, libpq.
for tool in mig mig-new mig-lint mig-status mig-apply mig-dryrun mig-backup mig-seed mig-start-prod mig-fleet mig-diff mig-import; do
  [ -x "$root/usr/bin/$tool" ] || { fail "$tool missing from the package"; continue; }
  v=$("$root/usr/bin/$tool" --version)
  [[ "$v" =~ ^$tool\ [0-9]+\.[0-9]+\.[0-9]+\ \(commit\ ([0-9a-f]+|unknown),\ libpq\ [0-9]+\.[0-9]+\)$ ]] && pass || fail "$tool --version: $v"
  [ -f "$root/usr/share/man/man1/$tool.1.gz" ] && pass || fail "no man page for $tool"
  [ -f "$root/usr/share/bash-completion/completions/$tool" ] && pass || fail "no completion for $tool"
done

# A short apply and status with only the package's binaries on PATH (mig finds its tools beside it).
migration 1_accounts "CREATE TABLE accounts (id bigint PRIMARY KEY);"
PATH="/usr/bin:/bin" "$root/usr/bin/mig" apply --format json > apply.out 2>apply.err; RC=$?
OUT=$(tail -n 1 apply.out); ERR=$(cat apply.err)
expect_rc 0 "mig apply from the package"
expect_json '.data.applied[0].version' 1
run env PATH="/usr/bin:/bin" "$root/usr/bin/mig" status --check --format json
expect_rc 0 "mig status --check from the package"
expect_json '.tool' mig-status
expect_sql "SELECT count(*) FROM accounts" 0

# The man pages render; mig(7) holds the exit codes.
if command -v man >/dev/null; then
  expect_contains "$(man -l "$root/usr/share/man/man1/mig-apply.1.gz" 2>/dev/null)" "--lock-timeout" "mig-apply(1)"
  expect_contains "$(man -l "$root/usr/share/man/man7/mig.7.gz" 2>/dev/null)" "needs repair" "mig(7)"
fi

# Completion, from the installed file, with the package's binaries on PATH.
complete_words() {  # complete_words WORD...: what completing the last word offers
  PATH="$root/usr/bin:/usr/bin:/bin" bash -c '
    source "$0"
    COMP_WORDS=("${@}"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    if [ "${COMP_WORDS[0]}" = mig ]; then _mig; else _mig_command; fi
    echo "${COMPREPLY[*]}"' "$root/usr/share/bash-completion/completions/mig" "$@"
}
expect_contains "$(complete_words mig-apply --lock-)" "--lock-timeout" "mig-apply --lock-<TAB>"
expect_contains "$(complete_words mig-lint --format '')" "sarif" "mig-lint --format <TAB>"
expect_contains "$(complete_words mig st)" "status" "mig st<TAB>"
expect_contains "$(complete_words mig start-prod --wait-r)" "--wait-replicas" "mig start-prod --wait-r<TAB>"
expect_contains "$(complete_words mig-fleet --on-error '')" "continue" "mig-fleet --on-error <TAB>"
finish
