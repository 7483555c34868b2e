# Shell helpers of the benchmark scripts (bench/run, bench/tracing), sourced after the caller set
# TMP (a private temp dir, removed by the caller), RAW (where raw outputs go), DURATION and THREADS
# (wrk's -d and -t). Everything a script starts it stops again by PID (stop_pid).
# shellcheck shell=bash

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

stop_pid() {  # pid signal: signal, wait up to 10 s, then SIGKILL
  local pid=$1 sig=$2
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

free_port() {  # a loopback port nobody listens on, starting from $1
  local port=$1
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# True when GET http://127.0.0.1:$1$2 answers 200. No fork (bash's /dev/tcp), so it can poll tightly.
http_ok() {
  local line=""
  { printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
    IFS= read -r -t 2 line <&3; } 2>/dev/null 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  [[ $line == "HTTP/1."?" 200"* ]]
}

# A 1 ms pause without forking: read with a timeout on a FIFO that nobody writes. Times are
# microseconds from ${EPOCHREALTIME/./} (no fork either).
mkfifo "$TMP/tick"
exec 9<>"$TMP/tick"
tick() { read -r -t "${1:-0.001}" -u 9 _ || true; }


rss_kb() {  # VmRSS of a PID and its children (nginx: master + workers), in kB
  local total=0 pid kb
  for pid in "$1" $(ps -o pid= --ppid "$1" 2>/dev/null); do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

start_rss_sampler() {  # pid outfile: samples every 0.2 s into outfile until stopped
  local pid=$1 out=$2
  : >"$out"
  ( while kill -0 "$pid" 2>/dev/null; do rss_kb "$pid" >>"$out"; sleep 0.2; done ) &
  SAMPLER_PID=$!
}
stop_rss_sampler() {  # outfile key: stores the maximum in kB as R[key]
  stop_pid "$SAMPLER_PID" TERM
  SAMPLER_PID=""
  R[$2]=$(sort -n "$1" | tail -n 1)
}

# wrk output -> "req_per_s p50_ms p99_ms requests non_2xx socket_errors"
parse_wrk() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return v / 1000
      if (v ~ /ms$/) return v + 0
      if (v ~ /m$/) return v * 60000
      if (v ~ /h$/) return v * 3600000
      if (v ~ /s$/) return v * 1000
      return v + 0
    }
    /^ +50% / { p50 = ms($2) }
    /^ +99% / { p99 = ms($2) }
    / requests in / { reqs = $1 }
    /Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { gsub(/,/, ""); errs = $4 + $6 + $8 + $10 }
    END { printf "%s %s %s %s %d %d\n", rps, p50, p99, reqs, non2xx, errs }
  ' "$1"
}

# wrk <name> <connections> <url> [wrk args...]: runs it, keeps the raw output, sets W_* variables.
run_wrk() {
  local name=$1 conns=$2 url=$3
  shift 3
  local out="$RAW/$name.txt" pre=() post=()
  while [[ $# -gt 0 && $1 != -- ]]; do pre+=("$1"); shift; done
  post=("$@")  # "--" and the script's arguments, which must follow the URL
  log "wrk $name: $conns connections, $DURATION"
  wrk -t "$THREADS" -c "$conns" -d "$DURATION" --latency "${pre[@]}" "$url" "${post[@]}" >"$out" 2>&1 ||
    die "wrk failed for $name (see $out)"
  read -r W_RPS W_P50 W_P99 _ W_NON2XX W_ERRS < <(parse_wrk "$out")
  [[ -n "$W_RPS" ]] || die "could not parse $out"
}

fmt() { awk -v v="$1" -v d="${2:-0}" 'BEGIN { if (v == "") print "–"; else printf("%." d "f\n", v) }'; }
ratio() {  # a b -> a/b with two decimals, or – when either is missing
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "–"; else printf "%.2f×\n", a / b }'
}
meets() {  # value op limit -> "met" / "missed" / "–"
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
    if (v == "" || l == "") { print "–"; exit }
    ok = (op == ">=") ? (v + 0 >= l + 0) : (v + 0 <= l + 0)
    print ok ? "met" : "missed" }'
}
