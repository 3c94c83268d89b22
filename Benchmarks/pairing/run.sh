#!/usr/bin/env bash
# Pairing benchmark: a programme of 1,000 mentees and 1,000 mentors ready for pairing (a closed kickoff where every
# mentee met eight mentors, both sides' answers, shortlists of three, mentors' marks, topics, two languages), the
# board's proposal computed as the recompute button does (timed inside the seeding command), then the board page
# (~1,000 tandems; its table shows 100 per page) loaded LOADS times in a row by a signed-in organiser (curl, one
# connection): p50, p99, max, and the first load, before the board's input cache holds the kickoff's data.
#
# Usage (from anywhere; runs in the repository root):
#   Benchmarks/pairing/run.sh [--bin PATH] [--mentees N] [--mentors N] [--loads N] [--port P]
# BIN defaults to a release build in .build-release (built if missing). SQLite, APP_ENV=production.
# Targets (issue #14): the proposal under 1 s, the board page p99 under 300 ms.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"

BIN=${BIN:-}
MENTEES=1000
MENTORS=1000
LOADS=20
PORT=${PORT:-18191}
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) BIN=$2; shift 2 ;;
        --mentees) MENTEES=$2; shift 2 ;;
        --mentors) MENTORS=$2; shift 2 ;;
        --loads) LOADS=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        -h|--help) sed -n '2,10p' "$HERE/run.sh"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
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
export BASE_URL="http://127.0.0.1:$PORT" LOG_LEVEL=${LOG_LEVEL:-notice} SQLITE_PATH="$work/bench.sqlite"

echo "seeding $MENTEES mentees × $MENTORS mentors and computing the proposal …" >&2
started=$(date +%s)
seed=$("$BIN" seed-pairing-benchmark --mentees "$MENTEES" --mentors "$MENTORS" | tail -n 1)
echo "seeded in $(( $(date +%s) - started )) s" >&2
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$seed" "$1"; }
programme=$(field programme)
signin=$(field signIn)

"$BIN" serve --hostname 127.0.0.1 --port "$PORT" --no-demo > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

jar="$work/cookies"
page=$(curl -fs -c "$jar" -b "$jar" "$signin")
token=$(python3 -c 'import re,sys; print(re.search(r"name=\"_csrf\" value=\"([^\"]+)\"", sys.stdin.read()).group(1))' <<<"$page")
curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" "$signin"

board="http://127.0.0.1:$PORT/organiser/programmes/$programme/pairing"
# The first load reads the kickoff's input into the board's cache (PairingInputCache); then one more warm-up.
first=$(curl -fs -o /dev/null -b "$jar" -w '%{time_total}' "$board")
curl -fs -o /dev/null -b "$jar" "$board"
times=()
for ((k = 0; k < LOADS; k++)); do
    times+=("$(curl -fs -o "$work/board.html" -b "$jar" -w '%{time_total}' "$board")")
done
rows=$(grep -c '<tr id="tandem-' "$work/board.html" || true)
bytes=$(wc -c < "$work/board.html")
stats=$(printf '%s\n' "${times[@]}" | python3 -c '
import sys, math
t = sorted(float(x) * 1000 for x in sys.stdin)
p = lambda q: t[min(len(t) - 1, math.ceil(q * len(t)) - 1)]
print("%.1f %.1f %.1f" % (p(0.5), p(0.99), t[-1]))')
read -r p50 p99 max <<<"$stats"

echo
echo "Pairing on SQLite, release build, APP_ENV=production, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| measure | value | target |"
echo "|---|---|---|"
echo "| programme | $MENTEES mentees × $MENTORS mentors, $(field tandems) tandems proposed, $(field unpaired) unpaired | |"
echo "| reading the input (people, profiles, shortlists, marks, answers) | $(field loadSeconds) s | |"
echo "| policy + optimizer (the proposal) | $(field proposeSeconds) s | < 1 s |"
echo "| recompute as the button does (read, propose, store the drafts) | $(field storeSeconds) s | |"
echo "| board page, $rows tandem rows, $((bytes / 1024)) KiB: p50 of $LOADS loads | $p50 ms | |"
echo "| board page: p99 of $LOADS loads | $p99 ms | < 300 ms |"
echo "| board page: slowest load | $max ms | |"
echo "| board page: first load after start (input not cached yet) | $(python3 -c "print('%.1f' % ($first * 1000))") ms | |"
