#!/usr/bin/env bash
# Each tool loads one C++ runtime at most: a tool built with the runtime linked
# in (listed after --static) must load no libstdc++.so/libgcc_s.so at all, and
# every other tool must load them (it uses a C++ shared library).
#   check_runtime_libs.sh --static TOOL... --shared TOOL...
set -uo pipefail
mode="" failures=0
for arg in "$@"; do
  case "$arg" in
    --static|--shared) mode=$arg; continue ;;
  esac
  loaded=$(ldd "$arg" | grep -cE 'libstdc\+\+\.so|libgcc_s\.so')
  if [ "$mode" = --static ] && [ "$loaded" != 0 ]; then
    echo "FAIL: $(basename "$arg") has the C++ runtime linked in, yet loads it again:"; ldd "$arg" | grep -E 'libstdc|libgcc_s'
    failures=$((failures + 1))
  elif [ "$mode" = --shared ] && [ "$loaded" = 0 ]; then
    echo "FAIL: $(basename "$arg") loads no shared C++ runtime: add it to MIG_STATIC_RUNTIME_TOOLS"
    failures=$((failures + 1))
  else
    echo "ok: $(basename "$arg") ($mode)"
  fi
done
exit $((failures > 0))
