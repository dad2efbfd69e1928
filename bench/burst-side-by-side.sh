#!/usr/bin/env bash
# A burst of held connections, side by side (docs/benchmarks.md, section 7): conlimit, a C loop of non-blocking
# connects (bench/burst-held.c) and tcpkali (when bench/build-tcpkali.sh has built it), in interleaved rounds against
# one `serve event-loop --hold forever` target on loopback. Prints one table of medians and writes every run to a CSV.
#
#   bench/burst-side-by-side.sh                  # 3 rounds: 9,000 held, and 1,000 held for the RSS baseline
#
# Per tool and round: a burst of BURST_N connections held BURST_HOLD seconds, then one of BURST_BASE_N. Measured the
# same way for every tool, from outside it:
#   - launch to first SYN: from the shell launching the tool ($EPOCHREALTIME) to its first SYN on the wire (tcpdump
#     on lo, kernel timestamps): process start, runtime start, any warm-up included;
#   - SYN spread: first to last first-SYN of the burst on the wire (a SYN leaves within the connect() call on
#     loopback, so this is the launch spread as the kernel saw it; the tools' own figures are listed beside it:
#     conlimit's launch_spread_ms, the C loop's timed loop; tcpkali reports none);
#   - RSS per held connection: (VmRSS with BURST_N held - VmRSS with BURST_BASE_N held) / (the difference of the
#     established counts at the two reads: BURST_N - BURST_BASE_N when each tool opened what it was asked), each read
#     BURST_RSS_AT seconds after the launch once `ss` shows them all established (never during the burst).
#
# Environment (defaults): BURST_N (9000), BURST_BASE_N (1000), BURST_REPS (3), BURST_HOLD (8 s; each tool holds
# that long, then exits), BURST_RSS_AT (5 s), TCPKALI (target/tcpkali/bin/tcpkali), TCPKALI_RATE (its
# --connect-rate, 1000000: as fast as it goes; tcpkali 1.2.0 then opens more than asked, docs say why), BURST_OUT
# (results/<UTC>-burst-side-by-side). conlimit runs through ./conlimit (the launcher's JVM options) with
# `--probe connect --close rst --no-report --no-kernel-evidence`; the C loop and conlimit reset their connections
# at the end; tcpkali closes them (FIN), so before each run the script waits (at most 90 s) until fewer than 1,000
# sockets are in TIME_WAIT (many of them slow down the next burst's port allocation, or exhaust the ports).
# tcpkali is killed if still running 15 s after its -T.
#
# Needs: a JDK, cc, ss, tcpdump (as root, not under CI: installed with apt-get when missing; otherwise exit 3).
# Root, for tcpdump. Exit: 0, 2 usage, 3 a missing tool or a target that did not start.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

n="${BURST_N:-9000}"
base="${BURST_BASE_N:-1000}"
reps="${BURST_REPS:-3}"
hold="${BURST_HOLD:-8}"
rss_at="${BURST_RSS_AT:-5}"
tcpkali="${TCPKALI:-target/tcpkali/bin/tcpkali}"
tcpkali_rate="${TCPKALI_RATE:-1000000}"
out="${BURST_OUT:-results/$(date -u +%Y%m%dT%H%M%SZ)-burst-side-by-side}"

for v in BURST_N:n BURST_BASE_N:base BURST_REPS:reps BURST_HOLD:hold BURST_RSS_AT:rss_at; do
  value="${v#*:}"
  if ! [[ "${!value}" =~ ^[0-9]+$ ]] || [ "${!value}" -eq 0 ]; then
    echo "burst-side-by-side: ${v%%:*} must be a whole number above 0, got '${!value}'" >&2
    exit 2
  fi
done
[ "$base" -lt "$n" ] || { echo "burst-side-by-side: BURST_BASE_N ($base) must be below BURST_N ($n)" >&2; exit 2; }
[ "$rss_at" -lt "$hold" ] || { echo "burst-side-by-side: BURST_RSS_AT ($rss_at) must be below BURST_HOLD ($hold)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "burst-side-by-side: needs root (tcpdump on lo)" >&2; exit 3; }
[ "$(ulimit -n)" -gt $((n + 100)) ] || { echo "burst-side-by-side: ulimit -n is $(ulimit -n); a burst of $n needs more" >&2; exit 3; }
if ! command -v tcpdump >/dev/null 2>&1; then
  if [ -z "${CI:-}" ] && command -v apt-get >/dev/null 2>&1; then
    echo "burst-side-by-side: tcpdump is missing; installing it now: apt-get install -y tcpdump" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q tcpdump >&2 \
      || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q tcpdump >&2; } \
      || { echo "burst-side-by-side: apt-get install tcpdump failed" >&2; exit 3; }
  else
    echo "burst-side-by-side: tcpdump is missing (apt-get install tcpdump)" >&2
    exit 3
  fi
fi
for tool in java cc ss awk; do
  command -v "$tool" >/dev/null 2>&1 || { echo "burst-side-by-side: $tool is not installed" >&2; exit 3; }
done
tools=(conlimit c)
if [ -x "$tcpkali" ]; then
  tools+=(tcpkali)
else
  echo "burst-side-by-side: no tcpkali at $tcpkali (bench/build-tcpkali.sh SOURCE builds it): measuring without it" >&2
fi

mkdir -p "$out" target/bench
./conlimit --version >/dev/null    # builds the jar when missing or stale
cc -O2 -o target/bench/burst-held bench/burst-held.c

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# await WHAT SECONDS CMD...: polls CMD every 0.1 s until it succeeds; fails after SECONDS
await() {
  local what="$1" limit="$2" deadline
  shift 2
  deadline=$((SECONDS + limit))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "burst-side-by-side: timed out after $limit s waiting for $what" >&2
      return 1
    fi
    sleep 0.1
  done
}

java -XX:TieredStopAtLevel=1 -jar harness/target/conlimit.jar serve event-loop --port 0 --backlog max --hold forever \
  --no-banner >"$out/serve.log" 2>&1 &
pids+=($!)
target_pid=$!
port=""
target_up() { port="$(sed -n 's/^serving .*address=127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$out/serve.log")"; [ -n "$port" ]; }
await "the target's start line" 30 target_up || { cat "$out/serve.log" >&2; exit 3; }

established() { ss -Htn state established "( dport = :$port )" | wc -l; }
time_wait() { ss -Htan state time-wait | wc -l; }
few_time_wait() { [ "$(time_wait)" -lt 1000 ]; }
capture_ready() { grep -q "listening on" "$1" 2>/dev/null; }

echo "burst-side-by-side: tools ${tools[*]}; bursts of $n and $base held ${hold} s; $reps rounds; target serve event-loop" \
     "on 127.0.0.1:$port; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
csv="$out/runs.csv"
echo "round,tool,n,launch_to_first_syn_ms,syn_spread_ms,own_spread_ms,rss_kb,established_at_read,syns,dropped,tw_before,load1" >"$csv"

# run_one ROUND TOOL N: one burst, measured; appends a row to the CSV
run_one() {
  local round="$1" tool="$2" count="$3" tag="$2-$3-r$1" cap pcap launch pid rss est own="" tw
  cap="$out/$tag.tcpdump.txt"
  pcap="$out/$tag.pcap"
  tw="$(time_wait)"
  tcpdump -i lo -nn -s 96 -B 65536 --time-stamp-precision=nano -w "$pcap" \
    "tcp dst port $port and tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn" 2>"$cap" &
  local dump=$!
  await "tcpdump to listen" 15 capture_ready "$cap"
  launch="$EPOCHREALTIME"
  case "$tool" in
    conlimit) ./conlimit run --target "127.0.0.1:$port" --burst "$count" --hold "${hold}s" --probe connect --close rst \
                --no-report --no-kernel-evidence --name "bench-$tag" --out "$out/$tag" >"$out/$tag.log" 2>&1 & ;;
    c) target/bench/burst-held 127.0.0.1 "$port" "$count" "$hold" >"$out/$tag.log" 2>&1 & ;;
    tcpkali) timeout -s KILL $((hold + 15)) "$tcpkali" -c "$count" --connect-rate "$tcpkali_rate" -T "${hold}s" "127.0.0.1:$port" \
               >"$out/$tag.log" 2>&1 & ;;
  esac
  pid=$!
  # the RSS read: BURST_RSS_AT s after the launch (a measurement instant, not a synchronisation), then until all
  # are established (ss is not run during the burst: on many sockets it takes tens of ms of CPU)
  sleep "$(awk -v a="$launch" -v now="$EPOCHREALTIME" -v at="$rss_at" 'BEGIN { d = a + at - now; print (d > 0 ? d : 0) }')"
  all_held() { [ "$(established)" -ge "$count" ] || ! kill -0 "$pid" 2>/dev/null; }
  await "$count established ($tool)" $((hold - rss_at + 5)) all_held || true
  est="$(established)"
  local rss_pid="$pid"
  [ "$tool" != tcpkali ] || rss_pid="$(pgrep -P "$pid" | head -n 1)"    # the child of timeout
  rss="$(awk '/^VmRSS:/ {print $2}' "/proc/${rss_pid:-$pid}/status" 2>/dev/null || echo "")"
  wait "$pid" || echo "burst-side-by-side: $tool exited $? (log: $out/$tag.log)" >&2
  kill -INT "$dump" 2>/dev/null || true
  wait "$dump" 2>/dev/null || true
  case "$tool" in
    conlimit) own="$(sed -n 's/.*"launch_spread_ms" *: *\([0-9.]*\).*/\1/p' "$out/$tag/summary.json" | head -n 1)" ;;
    c) own="$(awk '$1 == "spread_ms" {print $2}' "$out/$tag.log")" ;;
  esac
  local dropped
  dropped="$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$cap")"
  tcpdump -r "$pcap" -nn -tt --time-stamp-precision=nano 2>/dev/null | awk -v launch="$launch" -v round="$round" \
      -v tool="$tool" -v n="$count" -v own="$own" -v rss="$rss" -v est="$est" -v dropped="${dropped:-?}" -v tw="$tw" \
      -v load1="$(cut -d" " -f1 /proc/loadavg)" '
    { split($3, a, "."); sport = a[5]; if (!(sport in seen)) { seen[sport] = 1; syns++; t = $1 + 0
        if (first == "" || t < first) first = t; if (t > last) last = t } }
    END { printf "%s,%s,%d,%.1f,%.1f,%s,%s,%s,%d,%s,%s,%s\n", round, tool, n, (first - launch) * 1000, (last - first) * 1000,
            own, rss, est, syns, dropped, tw, load1 }' >>"$csv"
  rm -f "$pcap"
  tail -n 1 "$csv" | awk -F, '{ printf "  round %s %-8s %5d: launch to first SYN %7.1f ms, SYN spread %6.1f ms (own %s), RSS %s KB, %s established, %s SYNs\n", $1, $2, $3, $4, $5, ($6 == "" ? "-" : $6), $7, $8, $9 }'
}

for round in $(seq 1 "$reps"); do
  for count in "$n" "$base"; do
    for tool in "${tools[@]}"; do
      await "TIME_WAIT below 1,000 (now $(time_wait))" 90 few_time_wait || true
      run_one "$round" "$tool" "$count"
    done
  done
done

echo "burst-side-by-side: load average after: $(cut -d' ' -f1-3 /proc/loadavg); every run: $csv"
echo
# The table: medians over the rounds; RSS per held connection per round, then its median.
awk -F, -v n="$n" -v base="$base" '
  function median(list,   k, v, m, i, j, x) { k = split(list, v, " "); if (k == 0) return ""
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] + 0 < v[i] + 0) { x = v[i]; v[i] = v[j]; v[j] = x }
    return (k % 2) ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
  NR == 1 { next }
  !($2 in order) { order[$2] = ++tools; name[tools] = $2 }
  $3 == n { first[$2] = first[$2] " " $4; spread[$2] = spread[$2] " " $5; if ($6 != "") own[$2] = own[$2] " " $6
            rssN[$2, $1] = $7; estN[$2, $1] = $8; held[$2] = held[$2] " " $8 }
  $3 == base { rssB[$2, $1] = $7; estB[$2, $1] = $8 }
  END {
    printf "%-9s | %-22s | %-22s | %-16s | %-22s | %s\n", "tool", "launch to first SYN ms", "SYN spread ms", "own spread ms",
      "RSS per held (KB)", "established at the read (" n ")"
    for (i = 1; i <= tools; i++) {
      t = name[i]; per = ""; all = ""
      for (r = 1; r <= 100; r++) if ((t, r) in rssN && (t, r) in rssB && rssN[t, r] != "" && rssB[t, r] != "" \
                                     && estN[t, r] > estB[t, r]) {
        x = sprintf("%.2f", (rssN[t, r] - rssB[t, r]) / (estN[t, r] - estB[t, r])); per = per " " x; all = all (all == "" ? "" : ", ") x }
      printf "%-9s | %-22s | %-22s | %-16s | %-22s | %s\n", t,
        median(first[t]) " (" substr(first[t], 2) ")", median(spread[t]) " (" substr(spread[t], 2) ")",
        (own[t] == "" ? "-" : median(own[t])), (per == "" ? "-" : median(per) " (" all ")"), substr(held[t], 2)
    }
  }' "$csv" | tee "$out/table.txt"
