#!/usr/bin/env bash
# Tandem-year benchmark: a programme with 1,000 active tandems, each with a year of meetings, notes and experiments
# (`mentoring seed-tandem-benchmark`); then the tandem space of one partner and the organisers' health overview of
# all 1,000 under 50 concurrent connections with wrk. Prints a table with p50/p99 against the targets of issue #15
# (tandem page p99 < 100 ms, overview < 300 ms).
#
# Usage (from anywhere; runs in the repository root):
#   Benchmarks/tandem/run.sh [--bin PATH] [--tandems N] [--duration S] [--connections N] [--port P]
# BIN defaults to a release build in .build-release (built if missing). SQLite, APP_ENV=production. Needs wrk, curl,
# python3.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"

BIN=${BIN:-}
TANDEMS=${TANDEMS:-1000}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-50}
PORT=${PORT:-18183}
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) BIN=$2; shift 2 ;;
        --tandems) TANDEMS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        -h|--help) sed -n '2,10p' "$HERE/run.sh"; exit 0 ;;
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

export APP_ENV=production MAIL_TRANSPORT=log RATE_LIMITS=off DEMO=false APP_DIRECTORY="$ROOT" OUTBOX_POLL_SECONDS=3600
export BASE_URL="http://127.0.0.1:$PORT" LOG_LEVEL=${LOG_LEVEL:-info} SQLITE_PATH="$work/bench.sqlite"

echo "seeding $TANDEMS tandems with a year of meetings, notes and experiments …" >&2
seed=$("$BIN" seed-tandem-benchmark --tandems "$TANDEMS" | tail -n 1)
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$seed" "$1"; }
programme=$(field programme)
tandem=$(field tandem)

"$BIN" serve --hostname 127.0.0.1 --port "$PORT" --no-demo > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

sign_in() {  # link → session cookie, the way a person signs in (open the link, confirm with the form's token)
    local jar="$work/jar-$RANDOM" page token
    page=$(curl -fs -c "$jar" -b "$jar" "$1")
    token=$(python3 -c 'import re,sys; print(re.search(r"name=\"_csrf\" value=\"([^\"]+)\"", sys.stdin.read()).group(1))' <<<"$page")
    curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" "$1"
    awk '$6 == "rm_session" {print $7}' "$jar"
}
# The clockwork's first pass runs at start-up (this month's prompt to 2,000 people, …): measure the steady state
# after it, as organisers and partners meet the server between two passes (every 15 minutes).
for _ in $(seq 1 300); do grep -q "Tandem year care pass done" "$work/server.log" && break; sleep 0.5; done
grep -q "Tandem year care pass done" "$work/server.log" || { echo "the first care pass did not finish" >&2; exit 1; }
care=$(grep "Tandem year care pass done" "$work/server.log" | head -n 1)
organiser=$(sign_in "$(field organiserSignIn)")
mentee=$(sign_in "$(field menteeSignIn)")
[ -n "$organiser" ] && [ -n "$mentee" ] || { echo "sign-in failed" >&2; tail -n 20 "$work/server.log" >&2; exit 1; }

to_ms() {
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.1f", n }'
}
measure() {  # label path cookie target
    local out status
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: rm_session=$3" "http://127.0.0.1:$PORT$2")
    wrk -t2 -c"$CONNECTIONS" -d2s -H "Cookie: rm_session=$3" "http://127.0.0.1:$PORT$2" >/dev/null
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: rm_session=$3" "http://127.0.0.1:$PORT$2")
    printf '| %s | %s | %s | %s ms | %s ms | %s | %s |\n' "$1" "$status" \
        "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")" \
        "$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")" "$4" "$(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)"
}

echo
echo "Tandem year on SQLite, release build, APP_ENV=production, $TANDEMS tandems (seeded in $(field seedSeconds) s), wrk -t2 -c$CONNECTIONS -d${DURATION}s, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| page | status | requests/s | p50 | p99 | target (p99) | non-2xx |"
echo "|---|---|---|---|---|---|---|"
measure "tandem space (a partner, a year of data)" "/tandem/$tandem" "$mentee" "< 100 ms"
measure "health overview ($TANDEMS tandems, organiser)" "/organiser/programmes/$programme/tandems" "$organiser" "< 300 ms"
echo
echo "server RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$server/status) peak; first care pass: ${care#*done}"
