#!/usr/bin/env bash
# An open-loop arrival rate side by side (docs/benchmarks.md, section 2): conlimit and a paced C loop
# (bench/rate-paced.c) in interleaved rounds against one `serve event-loop` target on loopback, each asked for the
# same schedule (RATE_RATE connections a second for RATE_SECONDS). Prints one line per run, then a verdict line
# against issue #16's goal, and writes every run to a CSV.
#
#   bench/rate-side-by-side.sh                   # 10 rounds of 20,000/s for 10 s, target at normal priority
#
# A start is late when its connect() ran more than 1 ms behind its intended time, for both (conlimit's
# late_starts / connections from summary.json; the C loop counts the same way). conlimit runs through ./conlimit
# (the launcher's JVM options) with `--close rst --no-report` and its default kernel evidence; both reset their
# connections, so no TIME_WAIT is left between runs. Do not rebuild harness/target/conlimit.jar while it runs.
#
# Environment (defaults): RATE_RATE (20000), RATE_SECONDS (10), RATE_REPS (10), RATE_NICE (0: the target's nice
# level; section 2 also measures 19), RATE_RUN_FLAGS (more `conlimit run` flags), RATE_OUT
# (results/<UTC>-rate-side-by-side).
#
# Needs: a JDK, cc, awk. Exit: 0, 2 usage, 3 a missing tool or a target that did not start.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

rate="${RATE_RATE:-20000}"
secs="${RATE_SECONDS:-10}"
reps="${RATE_REPS:-10}"
nice_level="${RATE_NICE:-0}"
out="${RATE_OUT:-results/$(date -u +%Y%m%dT%H%M%SZ)-rate-side-by-side}"

for v in RATE_RATE:rate RATE_SECONDS:secs RATE_REPS:reps; do
  value="${v#*:}"
  if ! [[ "${!value}" =~ ^[0-9]+$ ]] || [ "${!value}" -eq 0 ]; then
    echo "rate-side-by-side: ${v%%:*} must be a whole number above 0, got '${!value}'" >&2
    exit 2
  fi
done
if ! [[ "$nice_level" =~ ^[0-9]+$ ]] || [ "$nice_level" -gt 19 ]; then
  echo "rate-side-by-side: RATE_NICE must be a whole number from 0 to 19, got '$nice_level'" >&2
  exit 2
fi
for tool in java cc awk; do
  command -v "$tool" >/dev/null 2>&1 || { echo "rate-side-by-side: $tool is not installed" >&2; exit 3; }
done
if [ -e "$out" ]; then
  echo "rate-side-by-side: $out exists; choose another RATE_OUT" >&2
  exit 2
fi
mkdir -p "$out" target/bench
./conlimit --version >/dev/null    # builds the jar when missing or stale
cc -O2 -o target/bench/rate-paced bench/rate-paced.c
jar="$out/serve.jar"
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

nice -n "$nice_level" java -jar "$jar" serve event-loop --port 0 --backlog max --no-banner >"$out/serve.log" 2>&1 &
pids+=($!)
port=""
deadline=$((SECONDS + 30))
until port="$(sed -n 's/^serving .*address=127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$out/serve.log")" && [ -n "$port" ]; do
  if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "${pids[0]}" 2>/dev/null; then
    echo "rate-side-by-side: the target did not start within 30 s:" >&2
    cat "$out/serve.log" >&2
    exit 3
  fi
  sleep 0.2
done

csv="$out/runs.csv"
echo "round,client,late,connections,late_pct,load1,utc" >"$csv"
echo "rate-side-by-side: $reps rounds of ${rate}/s for ${secs} s against serve event-loop on 127.0.0.1:$port" \
     "(nice $nice_level); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# the first number after a key in a pretty-printed summary.json (a single-phase run: top level and phase agree)
json_number() { sed -n "s/.*\"$1\" *: *\([0-9.]*\).*/\1/p" "$2" | head -n 1; }
for round in $(seq 1 "$reps"); do
  load="$(cut -d' ' -f1 /proc/loadavg)"
  tag="r$round-conlimit"
  ./conlimit run --target "127.0.0.1:$port" --rate "${rate}/s" --duration "${secs}s" --close rst --no-report \
    --name "$tag" --out "$out/$tag" ${RATE_RUN_FLAGS:-} >"$out/$tag.log" 2>&1 \
    || { echo "rate-side-by-side: conlimit run failed (round $round):" >&2; tail -n 20 "$out/$tag.log" >&2; exit 3; }
  late="$(json_number late_starts "$out/$tag/summary.json")"
  n="$(json_number connections "$out/$tag/summary.json")"
  echo "$round,conlimit,$late,$n,$(awk -v l="$late" -v n="$n" 'BEGIN { printf "%.2f", 100 * l / n }'),$load,$(date -u +%H:%M:%S)" >>"$csv"
  tail -n 1 "$csv" | awk -F, '{ printf "  round %2s %-8s %6s of %s late (%s%%), load %s\n", $1, $2, $3, $4, $5, $6 }'

  load="$(cut -d' ' -f1 /proc/loadavg)"
  tag="r$round-c"
  target/bench/rate-paced 127.0.0.1 "$port" "$rate" "$secs" >"$out/$tag.log" 2>&1
  late="$(awk '$1 == "late" {print $2}' "$out/$tag.log")"
  n="$(awk '$1 == "late" {print $4}' "$out/$tag.log")"
  echo "$round,c,$late,$n,$(awk -v l="$late" -v n="$n" 'BEGIN { printf "%.2f", 100 * l / n }'),$load,$(date -u +%H:%M:%S)" >>"$csv"
  tail -n 1 "$csv" | awk -F, '{ printf "  round %2s %-8s %6s of %s late (%s%%), load %s\n", $1, $2, $3, $4, $5, $6 }'
done

# the verdict against issue #16: conlimit under 1% in at least 8 runs of 10; its median within 1.5x of the C loop's
awk -F, -v reps="$reps" 'NR > 1 { v[$2, ++k[$2]] = $5; if ($2 == "conlimit" && $5 < 1) under++ }
  function median(tool,   n, i, j, t, a) {
    n = k[tool]; for (i = 1; i <= n; i++) a[i] = v[tool, i]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  END { mc = median("conlimit"); mr = median("c")
        printf "rate-side-by-side: conlimit under 1%% late in %d of %d runs, median %.2f%%; the C loop median %.2f%%", under + 0, reps, mc, mr
        if (mr > 0) printf " (conlimit %.2fx)", mc / mr
        printf "\n" }' "$csv" | tee "$out/summary.txt"
