#!/usr/bin/env bash
# Soak benchmark (docs/benchmarks.md, section 5): an open-loop run of conlimit's client against a `serve
# event-loop` target on loopback for SOAK_SECONDS, with the client JVM's RSS and heap sampled every
# SOAK_SAMPLE seconds into a CSV, and one summary line: growth per minute of RSS and of the post-GC heap
# (least-squares fits over the samples after SOAK_WARMUP seconds), and how many collections there were.
#
#   bench/soak.sh                          # 10 minutes at 2,000/s (the documented run)
#   SOAK_SECONDS=20 SOAK_WARMUP=5 bench/soak.sh   # the short mode a test runs so the script cannot rot
#
# Environment (defaults): SOAK_SECONDS (600), SOAK_RATE (2000, connections per second), SOAK_SAMPLE (5 s),
# SOAK_WARMUP (60 s: samples before it are written but not fitted), SOAK_JAVA_OPTS ("-Xmx256m -Xmn16m":
# a small young generation, so the collector runs every few seconds and the post-GC heap is sampled many
# times; the launcher's -Xmn512m would give one collection in 10 minutes), SOAK_OUT (results/<UTC>-soak).
#
# Needs: a JDK (jstat), bash, awk, /proc. Writes to SOAK_OUT: soak.csv (the samples), jstat.txt (raw),
# gc.log (the client's GC log), serve.log, run/ (the run's own results folder) and summary.txt (the
# summary line, also printed last). Exit: the client run's exit code (0 ok), 2 for a usage error, 3 when
# the target or the sampler could not start.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

secs="${SOAK_SECONDS:-600}"
rate="${SOAK_RATE:-2000}"
sample="${SOAK_SAMPLE:-5}"
warmup="${SOAK_WARMUP:-60}"
java_opts="${SOAK_JAVA_OPTS:--Xmx256m -Xmn16m}"
out="${SOAK_OUT:-results/$(date -u +%Y%m%dT%H%M%SZ)-soak}"

for v in SOAK_SECONDS:secs SOAK_RATE:rate SOAK_SAMPLE:sample SOAK_WARMUP:warmup; do
  value="${v#*:}"
  if ! [[ "${!value}" =~ ^[0-9]+$ ]] || { [ "${!value}" -eq 0 ] && [ "$value" != warmup ]; }; then
    echo "soak: ${v%%:*} must be a whole number$([ "$value" = warmup ] || echo ' above 0'), got '${!value}'" >&2
    exit 2
  fi
done
[ "$warmup" -lt "$secs" ] || { echo "soak: SOAK_WARMUP ($warmup) must be below SOAK_SECONDS ($secs)" >&2; exit 2; }
for tool in java jstat awk; do
  command -v "$tool" >/dev/null 2>&1 || { echo "soak: $tool is not installed (a JDK provides java and jstat)" >&2; exit 3; }
done
if [ -e "$out" ]; then
  echo "soak: $out exists; choose another SOAK_OUT" >&2
  exit 2
fi
mkdir -p "$out"

# The launcher builds the jar when it is missing or stale; build here so the target can use it too.
./conlimit --version >/dev/null

pids=()
cleanup() {
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The target: its own process, so its memory and sockets are not the client's.
java -XX:TieredStopAtLevel=1 -jar harness/target/conlimit.jar serve event-loop --port 0 --backlog max --no-banner \
  >"$out/serve.log" 2>&1 &
pids+=($!)
port=""
deadline=$((SECONDS + 30))
until port="$(sed -n 's/^serving .*address=127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$out/serve.log")" && [ -n "$port" ]; do
  if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "${pids[0]}" 2>/dev/null; then
    echo "soak: the target did not start within 30 s:" >&2
    cat "$out/serve.log" >&2
    exit 3
  fi
  sleep 0.2
done

echo "soak: ${secs} s at ${rate}/s against serve event-loop on 127.0.0.1:$port; client JVM options $java_opts;" \
     "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
CONLIMIT_JAVA_OPTS="$java_opts -Xlog:gc:file=$out/gc.log" ./conlimit run --target "127.0.0.1:$port" \
  --rate "${rate}/s" --duration "${secs}s" --close rst --no-report --name soak --out "$out/run" \
  >"$out/run.log" 2>&1 &
client=$!
pids+=("$client")

# jstat samples the heap from the JVM's own counters (hsperfdata) without stopping it: one process for the
# whole run, a line every SOAK_SAMPLE seconds. It needs the JVM's counters file, which appears at its start.
deadline=$((SECONDS + 30))
until jstat -gc "$client" >/dev/null 2>&1; do
  if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$client" 2>/dev/null; then
    echo "soak: jstat could not attach to the client (pid $client) within 30 s; its output:" >&2
    cat "$out/run.log" >&2
    exit 3
  fi
  sleep 0.2
done
jstat -gc -t "$client" "${sample}s" >"$out/jstat.txt" 2>&1 &
pids+=($!)

# RSS from /proc beside the latest jstat line, every SOAK_SAMPLE seconds, until the client exits (bounded by
# the run's own duration; the loop stops at the client's end or at twice the duration, whichever is first).
echo "t_s,rss_kb,eden_used_kb,survivor_used_kb,old_used_kb,post_gc_heap_kb,young_gcs,full_gcs,gc_time_s" >"$out/soak.csv"
t0=$SECONDS
limit=$((secs * 2 + 120))
while kill -0 "$client" 2>/dev/null && [ $((SECONDS - t0)) -lt "$limit" ]; do
  sleep "$sample"
  rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$client/status" 2>/dev/null || true)"
  [ -n "$rss" ] || break
  awk -v t="$((SECONDS - t0))" -v rss="$rss" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 ~ /^[0-9.]+$/ { last = $0 }
    END {
      if (last == "") exit
      n = split(last, f, " ")
      s = f[col["S0U"]] + f[col["S1U"]]
      printf "%d,%d,%.0f,%.0f,%.0f,%.0f,%d,%d,%.3f\n", t, rss, f[col["EU"]], s, f[col["OU"]], s + f[col["OU"]],
             f[col["YGC"]], f[col["FGC"]], f[col["GCT"]]
    }' "$out/jstat.txt" >>"$out/soak.csv"
done

rc=0
wait "$client" || rc=$?
if command -v jq >/dev/null 2>&1 && [ -f "$out/run/summary.json" ]; then
  jq -r '"soak: the run: \(.connections) connections (\(.outcomes | to_entries | map(select(.value > 0))
         | map("\(.key) \(.value)") | join(", "))), late starts \(.late_starts), complete \(.complete)"' "$out/run/summary.json"
else
  tail -n 12 "$out/run.log"
fi

# The summary: least-squares slopes (per minute) over the samples after the warm-up; the post-GC heap only at
# samples that follow a collection (young GC count changed since the previous sample): there eden was
# emptied, and survivor + old is what the collector kept.
summary="$(awk -F, -v warm="$warmup" -v secs="$secs" -v rate="$rate" '
  function fit(n, sx, sy, sxx, sxy) { return (n >= 2 && n * sxx - sx * sx > 0) ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : "" }
  NR == 1 { next }
  {
    rows++; t = $1; if (rows == 1) { rss0 = $2; gc0 = $7 } rssN = $2; gcN = $7; fgcN = $8; gctN = $9
    if (t >= warm) {
      rn++; rsx += t; rsy += $2; rsxx += t * t; rsxy += t * $2
      if (rn == 1) { rssW = $2; gcW = prev_gc }
      if ($7 != prev_gc) {
        hn++; hsx += t; hsy += $6; hsxx += t * t; hsxy += t * $6
        if (hn == 1) heapA = $6; heapB = $6
      }
    }
    prev_gc = $7
  }
  END {
    if (rows == 0) { print "soak: no samples were taken"; exit }
    r = fit(rn, rsx, rsy, rsxx, rsxy); h = fit(hn, hsx, hsy, hsxx, hsxy)
    printf "soak: %d s at %d/s, %d samples; young GCs %d (%d after the %d s warm-up), full GCs %d, GC time %.2f s. ", \
      secs, rate, rows, gcN, gcN - gcW, warm, fgcN, gctN
    printf "RSS %.1f -> %.1f MB (%.1f at the warm-up), growth %s MB/min over %d samples; ", \
      rss0 / 1024, rssN / 1024, rssW / 1024, (r == "" ? "n/a (fewer than 2 samples)" : sprintf("%+.2f", r * 60 / 1024)), rn
    if (h == "")
      printf "post-GC heap: %d sample(s) after a collection past the warm-up, too few to fit\n", hn
    else
      printf "post-GC heap (survivor + old) %.1f -> %.1f MB, growth %+.1f KB/min over %d samples that followed a collection\n", \
        heapA / 1024, heapB / 1024, h * 60, hn
  }' "$out/soak.csv")"
echo "$summary" | tee "$out/summary.txt"
echo "soak: samples in $out/soak.csv; load average after: $(cut -d' ' -f1-3 /proc/loadavg); client exit $rc"
exit "$rc"
