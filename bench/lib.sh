# Helpers the bench scripts share: timing one command, medians, ratios.
now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
# time_ms CMD...: milliseconds the command took; a failing command stops the bench.
time_ms() {
  local t0
  t0=$(now_ns)
  "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }
  echo $(( ($(now_ns) - t0) / 1000000 ))
}
