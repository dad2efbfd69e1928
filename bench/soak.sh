#!/usr/bin/env bash
# Soak benchmark (docs/benchmarks.md, section 6): an open-loop run of conlimit's client against a `serve
# event-loop` target on loopback for SOAK_SECONDS, with the client JVM's RSS and heap sampled every
# SOAK_SAMPLE seconds into a CSV, and one summary line: growth per minute of RSS, of the live heap after a full
# collection and of the heap left after young collections (least-squares fits over the samples after SOAK_WARMUP
# seconds), and how many collections there were.
#
#   bench/soak.sh                          # 10 minutes at 2,000/s (the documented run)
#   SOAK_SECONDS=20 SOAK_WARMUP=5 bench/soak.sh   # the short mode a test runs so the script cannot rot
#
# Environment (defaults): SOAK_SECONDS (600), SOAK_RATE (2000, connections per second), SOAK_SAMPLE (5 s),
# SOAK_WARMUP (60 s: samples before it are written but not fitted), SOAK_JAVA_OPTS ("-Xmx256m -Xmn16m":
# a small young generation, so the collector runs every few seconds and the post-GC heap is sampled many
# times; the launcher's -Xmn512m would give one collection in 10 minutes), SOAK_FULL_GC (60 s: every that many
# seconds the sampler asks the client for a full collection, `jcmd PID GC.run`, and reads the live heap right
# after it, `GC.heap_info`; 0 = never. Each is a stop-the-world pause of the client of some milliseconds, so
# expect a few late starts at each. Without it G1 does not collect the old generation in 10 minutes here, and
# survivor + old after a young collection grows with whatever the small survivor spaces promoted, garbage or
# not), SOAK_RUN_FLAGS (more `conlimit run` flags, e.g. --no-kernel-evidence), SOAK_OUT (results/<UTC>-soak).
#
# Needs: a JDK (jstat, jcmd), bash, awk, /proc. Writes to SOAK_OUT: soak.csv (the samples), jstat.txt (raw),
# gc.log (the client's GC log), serve.log, run.log (the client's output), run/ (the run's own results folder) and
# summary.txt (the summary line, also printed last). Exit: the client run's exit code (0 ok), 2 for a usage error, 3 when
# the target or the sampler could not start.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

secs="${SOAK_SECONDS:-600}"
rate="${SOAK_RATE:-2000}"
sample="${SOAK_SAMPLE:-5}"
fullgc="${SOAK_FULL_GC:-60}"
warmup="${SOAK_WARMUP:-60}"
java_opts="${SOAK_JAVA_OPTS:--Xmx256m -Xmn16m}"
out="${SOAK_OUT:-results/$(date -u +%Y%m%dT%H%M%SZ)-soak}"

for v in SOAK_SECONDS:secs SOAK_RATE:rate SOAK_SAMPLE:sample SOAK_WARMUP:warmup SOAK_FULL_GC:fullgc; do
  value="${v#*:}"
  zero_ok=0
  case "$value" in warmup | fullgc) zero_ok=1 ;; esac
  if ! [[ "${!value}" =~ ^[0-9]+$ ]] || { [ "${!value}" -eq 0 ] && [ "$zero_ok" = 0 ]; }; then
    echo "soak: ${v%%:*} must be a whole number$([ "$zero_ok" = 1 ] || echo ' above 0'), got '${!value}'" >&2
    exit 2
  fi
done
[ "$warmup" -lt "$secs" ] || { echo "soak: SOAK_WARMUP ($warmup) must be below SOAK_SECONDS ($secs)" >&2; exit 2; }
for tool in java jstat jcmd awk; do
  command -v "$tool" >/dev/null 2>&1 || { echo "soak: $tool is not installed (a JDK provides java and jstat)" >&2; exit 3; }
done
if [ -e "$out" ]; then
  echo "soak: $out exists; choose another SOAK_OUT" >&2
  exit 2
fi
mkdir -p "$out"

# The launcher builds the jar when it is missing or stale. Client and target then run from a copy of it: a JVM
# loads classes from its jar lazily (some only at the end of a run), so a rebuild in this checkout during the
# soak would otherwise break the running client.
./conlimit --version >/dev/null
jar="$out/conlimit.jar"
cp harness/target/conlimit.jar "$jar"

pids=()
cleanup() {
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -f "$jar"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The target: its own process, so its memory and sockets are not the client's.
java -XX:TieredStopAtLevel=1 -jar "$jar" serve event-loop --port 0 --backlog max --no-banner \
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
     "run flags: --close rst --no-report ${SOAK_RUN_FLAGS:-};" \
     "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# the launcher's JVM options (./conlimit), then SOAK_JAVA_OPTS, which win
java -XX:TieredStopAtLevel=1 -Xmn512m $java_opts -Xlog:gc:file="$out/gc.log" -jar "$jar" run --target "127.0.0.1:$port" \
  --rate "${rate}/s" --duration "${secs}s" --close rst --no-report --name soak --out "$out/run" ${SOAK_RUN_FLAGS:-} \
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
# live_heap_kb: only at a sample that follows a forced full collection (SOAK_FULL_GC), else empty.
echo "t_s,rss_kb,eden_used_kb,survivor_used_kb,old_used_kb,post_gc_heap_kb,young_gcs,full_gcs,gc_time_s,live_heap_kb" >"$out/soak.csv"
printf 'GC.run\nGC.heap_info\n' >"$out/jcmd-full-gc.txt"
t0=$SECONDS
next_full=$fullgc
limit=$((secs * 2 + 120))
while kill -0 "$client" 2>/dev/null && [ $((SECONDS - t0)) -lt "$limit" ]; do
  sleep "$sample"
  live=""
  if [ "$fullgc" -gt 0 ] && [ $((SECONDS - t0)) -ge "$next_full" ]; then
    next_full=$((next_full + fullgc))
    # one jcmd for both: the full collection, then the heap it left (G1: "garbage-first heap total NK, used NK")
    live="$(jcmd "$client" -f "$out/jcmd-full-gc.txt" 2>/dev/null \
            | sed -n 's/.* heap .*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -n 1 || true)"
    # the jstat line that follows the collection (jstat prints every SOAK_SAMPLE s): wait for its count to move
    fgc_before="$(awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "FGC") c = i; next } $1 ~ /^[0-9.]+$/ { v = $c } END { print v + 0 }' "$out/jstat.txt")"
    deadline=$((SECONDS + sample * 3))
    until [ "$(awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "FGC") c = i; next } $1 ~ /^[0-9.]+$/ { v = $c } END { print v + 0 }' "$out/jstat.txt")" -gt "$fgc_before" ] \
          || [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$client" 2>/dev/null; do
      sleep 0.2
    done
  fi
  rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$client/status" 2>/dev/null || true)"
  [ -n "$rss" ] || break
  awk -v t="$((SECONDS - t0))" -v rss="$rss" -v live="$live" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 ~ /^[0-9.]+$/ { last = $0 }
    END {
      if (last == "") exit
      n = split(last, f, " ")
      s = f[col["S0U"]] + f[col["S1U"]]
      printf "%d,%d,%.0f,%.0f,%.0f,%.0f,%d,%d,%.3f,%s\n", t, rss, f[col["EU"]], s, f[col["OU"]], s + f[col["OU"]],
             f[col["YGC"]], f[col["FGC"]], f[col["GCT"]], live
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

# The summary: least-squares slopes (per minute) over the samples after the warm-up. The live heap: at the samples
# that follow a forced full collection (what the client still references). Survivor + old: at the samples that
# follow young collections only (eden was just emptied; this includes what the collector promoted since the last
# full collection, garbage or not).
summary="$(awk -F, -v warm="$warmup" -v secs="$secs" -v rate="$rate" -v fullgc="$fullgc" '
  function fit(n, sx, sy, sxx, sxy) { return (n >= 2 && n * sxx - sx * sx > 0) ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : "" }
  NR == 1 { next }
  {
    rows++; t = $1; if (rows == 1) rss0 = $2
    rssN = $2; gcN = $7; fgcN = $8; gctN = $9
    if ($10 != "") forced++
    if (t >= warm) {
      rn++; rsx += t; rsy += $2; rsxx += t * t; rsxy += t * $2
      if (rn == 1) { rssW = $2; gcW = prev_gc }
      if ($10 != "") {
        ln++; lsx += t; lsy += $10; lsxx += t * t; lsxy += t * $10
        if (ln == 1) liveA = $10; liveB = $10
      }
      if (rows > 1 && $7 != prev_gc && $8 == prev_fgc) {
        hn++; hsx += t; hsy += $6; hsxx += t * t; hsxy += t * $6
        if (hn == 1) heapA = $6; heapB = $6
      }
    }
    prev_gc = $7; prev_fgc = $8
  }
  END {
    if (rows == 0) { print "soak: no samples were taken"; exit }
    r = fit(rn, rsx, rsy, rsxx, rsxy); l = fit(ln, lsx, lsy, lsxx, lsxy); h = fit(hn, hsx, hsy, hsxx, hsxy)
    printf "soak: %d s at %d/s, %d samples; young GCs %d (%d after the %d s warm-up), full GCs %d (%d forced by the sampler), GC time %.2f s. ", \
      secs, rate, rows, gcN, gcN - gcW, warm, fgcN, forced, gctN
    printf "RSS %.1f -> %.1f MB (%.1f at the warm-up), growth %s MB/min over %d samples; ", \
      rss0 / 1024, rssN / 1024, rssW / 1024, (r == "" ? "n/a (fewer than 2 samples)" : sprintf("%+.2f", r * 60 / 1024)), rn
    if (fullgc == 0)
      printf "live heap: not sampled (SOAK_FULL_GC=0); "
    else if (l == "")
      printf "live heap after a full GC: %d sample(s) past the warm-up, too few to fit; ", ln
    else
      printf "live heap after a full GC %.1f -> %.1f MB, growth %+.1f KB/min over %d collections; ", \
        liveA / 1024, liveB / 1024, l * 60, ln
    if (h == "")
      printf "survivor + old after young GCs: %d sample(s) past the warm-up, too few to fit\n", hn
    else
      printf "survivor + old after young GCs %.1f -> %.1f MB, growth %+.1f KB/min over %d samples\n", \
        heapA / 1024, heapB / 1024, h * 60, hn
  }' "$out/soak.csv")"
echo "$summary" | tee "$out/summary.txt"
echo "soak: samples in $out/soak.csv; load average after: $(cut -d' ' -f1-3 /proc/loadavg); client exit $rc"
exit "$rc"
