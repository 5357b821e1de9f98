# Helpers the bench scripts share: timing one command, medians, ratios.
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
# time_ms CMD...: milliseconds (0.1 ms resolution) the command took; a failing command stops the bench.
# bash's $EPOCHREALTIME is read in place: no `date` or subshell inside the timed span.
time_ms() {
  local t0=${EPOCHREALTIME/[.,]/} t1
  "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }
  t1=${EPOCHREALTIME/[.,]/}
  awk -v d=$((t1 - t0)) 'BEGIN {printf "%.1f", d / 1000}'
}
