#!/usr/bin/env bash
# Page benchmark: requests per second and latency of the pages people wait for, with wrk, side by side with a
# static file served by the same server in the same run. Seeds a programme of realistic size (500 mentees,
# 500 mentors among 2,000 applications, a planned kickoff), signs an organiser in, measures, prints a table.
#
# Usage (from anywhere; runs in the repository root):
#   Benchmarks/pages/run.sh [--bin PATH] [--duration S] [--repeat N] [--connections N] [--port P] [--postgres URL]
# BIN defaults to a release build in .build-release (built if missing). --postgres runs on PostgreSQL
# (DATABASE_URL) instead of a fresh SQLite file. Needs wrk (Debian: apt-get install wrk), curl, python3.
# Environment: APP_ENV=production is set (templates cached, no error details), RATE_LIMITS=off (one client
# does what fifty would), MAIL_TRANSPORT=log.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"

BIN=${BIN:-}
DURATION=${DURATION:-10}
REPEAT=${REPEAT:-3}
CONNECTIONS=${CONNECTIONS:-50}
PORT=${PORT:-18181}
POSTGRES=${POSTGRES:-}
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) BIN=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --repeat) REPEAT=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --postgres) POSTGRES=$2; shift 2 ;;
        -h|--help) sed -n '2,12p' "$HERE/run.sh"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 2; }
if [ -z "$BIN" ]; then
    swift build -c release --product mentoring --scratch-path .build-release >&2
    BIN=$ROOT/.build-release/release/mentoring
fi

work=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

export APP_ENV=production MAIL_TRANSPORT=log RATE_LIMITS=off DEMO=false APP_DIRECTORY="$ROOT"
export BASE_URL="http://127.0.0.1:$PORT" LOG_LEVEL=${LOG_LEVEL:-info}
if [ -n "$POSTGRES" ]; then
    export DATABASE_URL="$POSTGRES"
    # PostgreSQL needs a data key (sealed tandem texts); a throwaway one does for a benchmark.
    DATA_KEY=${DATA_KEY:-$("$BIN" data-key | tail -n 1)}
    export DATA_KEY
    database="PostgreSQL"
else
    export SQLITE_PATH="$work/bench.sqlite"
    database="SQLite"
fi

echo "seeding (500 mentees, 500 mentors, 2,000 applications, a planned kickoff) …" >&2
seed=$("$BIN" seed-page-benchmark --mentees 500 --mentors 500 --applications 2000 | tail -n 1)
programme=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["programme"])' "$seed")
signin=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["signIn"])' "$seed")

"$BIN" serve --hostname 127.0.0.1 --port "$PORT" --no-demo > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

# Sign in the way a person does: open the link, confirm with the form's token.
jar="$work/cookies"
page=$(curl -fs -c "$jar" -b "$jar" "$signin")
token=$(python3 -c 'import re,sys; print(re.search(r"name=\"_csrf\" value=\"([^\"]+)\"", sys.stdin.read()).group(1))' <<<"$page")
curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" "$signin"
cookie=$(awk '$6 == "rm_session" {print $7}' "$jar")
[ -n "$cookie" ] || { echo "sign-in failed" >&2; tail -n 20 "$work/server.log" >&2; exit 1; }

to_ms() {  # wrk latency (e.g. 812.00us, 41.2ms, 1.50s) in milliseconds
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.1f", n }'
}

server_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }

measure() {  # label path [cookie]
    local label=$1 path=$2 header=()
    [ "${3:-}" = "cookie" ] && header=(-H "Cookie: rm_session=$cookie")
    # A short warm-up, then REPEAT measured runs; the table shows the median run (by requests/s) and the range,
    # because this machine's speed varies by ±20 % from minute to minute. CPU ms per request is the server's own
    # CPU time (user + system, /proc) divided by the requests it answered: less sensitive to that noise.
    wrk -t2 -c"$CONNECTIONS" -d2s "${header[@]}" "http://127.0.0.1:$PORT$path" >/dev/null
    local runs=() k out before after count
    for ((k = 0; k < REPEAT; k++)); do
        before=$(server_ticks)
        out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${header[@]}" "http://127.0.0.1:$PORT$path")
        after=$(server_ticks)
        count=$(awk '/requests in/ {print $1}' <<<"$out")
        runs+=("$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")") $(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")") $(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0) $(awk -v t=$((after - before)) -v n="${count:-0}" 'BEGIN { if (n > 0) printf "%.2f", t * 10 / n; else print "-" }')")
    done
    local sorted median low high status
    sorted=$(printf '%s\n' "${runs[@]}" | sort -n -k1,1)
    median=$(sed -n "$(( (REPEAT + 1) / 2 ))p" <<<"$sorted")
    low=$(head -n 1 <<<"$sorted" | cut -d' ' -f1)
    high=$(tail -n 1 <<<"$sorted" | cut -d' ' -f1)
    status=$(curl -s -o /dev/null -w '%{http_code}' "${header[@]}" "http://127.0.0.1:$PORT$path")
    read -r rps p50 p99 errors cpu <<<"$median"
    printf '| %s | `%s` | %s | %s | %s–%s | %s ms | %s ms | %s | %s |\n' "$label" "$path" "$status" "$rps" "$low" "$high" "$p50" "$p99" "$cpu" "$errors"
}

echo
echo "Pages on $database, release build, APP_ENV=production, wrk -t2 -c$CONNECTIONS -d${DURATION}s, median of $REPEAT runs, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| page | path | status | requests/s (median) | range | p50 | p99 | server CPU ms/request | non-2xx |"
echo "|---|---|---|---|---|---|---|---|---|"
measure "static file" "/css/app.css"
measure "start page (anonymous)" "/"
measure "health check" "/healthz"
measure "dashboard (organiser)" "/dashboard" cookie
measure "programme page (organiser)" "/organiser/programmes/$programme" cookie
measure "review queue, 2,000 applications" "/organiser/programmes/$programme/applications" cookie
measure "kickoff page, 500 × 500 plan" "/organiser/programmes/$programme/kickoff" cookie
echo
echo "sessions written during the run: $(grep -c 'UPDATE "sessions"' "$work/server.log" || true) (log lines); server RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$server/status) peak"
