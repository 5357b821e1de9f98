#!/bin/sh
# make-man.sh TOOL OUT.gz: TOOL's manual page from its --help and --version
# (help2man), with a SEE ALSO to mig(7), gzipped as Debian installs them.
set -eu
tool=$1 out=$2
here=$(dirname "$0")
version=$("$tool" --version | head -n 1 | cut -d" " -f2)
name=$("$tool" --help | head -n 1 | sed 's/[.;:]*$//')
help2man --no-info --no-discard-stderr --section=1 --version-string="$version" --source="mig $version" --name="$name" --include="$here/see-also.h2m" "$tool" \
  | gzip -9n > "$out.tmp"
mv "$out.tmp" "$out"
