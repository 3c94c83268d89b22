#!/usr/bin/env bash
# Kickoff load benchmark: N simulated participants on the live kickoff's WebSockets in one event.
# Measures the time from each scheduled round switch to the clients receiving it (median, p99, max) and
# the server's memory (VmRSS sampled, VmHWM at the end). See Documentation/KickoffLoad.md.
#
# Usage (from anywhere; runs in the repository root):
#   Benchmarks/kickoff-load/run.sh [--mentees N] [--mentors N] [--rounds N] [--round-seconds N]
#       [--break-seconds N] [--start-in S] [--port P] [--json PATH] [--keep DIR] [--no-build] [--bin PATH]
#       [--idle-wait S] [--connect-concurrency N] [--no-shows N] [--leave N]
# The same settings as environment variables: MENTEES MENTORS ROUNDS ROUND_SECONDS BREAK_SECONDS START_IN PORT
# REPORT_JSON KEEP_DIR NO_BUILD=1 BIN IDLE_WAIT CONNECT_CONCURRENCY NO_SHOWS LEAVE. --no-shows N: N participants
# never come (planned out 10 s before the start); --leave N: N leave when round 1 starts (planned out at the
# first break after the 20 s grace: use --round-seconds 25 or more). --bin runs a prebuilt release binary (implies --no-build);
# --keep copies the run's files (links, server log, samples, client result) to DIR; --idle-wait waits up to
# S seconds (default 120) for other work on the machine to settle first. PYTHON (default .venv/bin/python,
# else python3) needs Benchmarks/kickoff-load/requirements.txt.
# Exit status: the client's (non-zero when a client missed a switch or was disconnected), or the first
# failing step's.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"

MENTEES=${MENTEES:-1000}
MENTORS=${MENTORS:-1000}
ROUNDS=${ROUNDS:-3}
ROUND_SECONDS=${ROUND_SECONDS:-20}
BREAK_SECONDS=${BREAK_SECONDS:-5}
START_IN=${START_IN:-}
PORT=${PORT:-}
REPORT_JSON=${REPORT_JSON:-}
KEEP_DIR=${KEEP_DIR:-}
NO_BUILD=${NO_BUILD:-0}
BIN=${BIN:-}
[ -n "$BIN" ] && NO_BUILD=1
IDLE_WAIT=${IDLE_WAIT:-120}
# WebSocket upgrades in flight at once (the sign-in runs 16 at a time).
CONNECT_CONCURRENCY=${CONNECT_CONCURRENCY:-64}
NO_SHOWS=${NO_SHOWS:-0}
LEAVE=${LEAVE:-0}

while [ $# -gt 0 ]; do
    case "$1" in
        --mentees) MENTEES=$2; shift 2 ;;
        --mentors) MENTORS=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --round-seconds) ROUND_SECONDS=$2; shift 2 ;;
        --break-seconds) BREAK_SECONDS=$2; shift 2 ;;
        --start-in) START_IN=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --json) REPORT_JSON=$2; shift 2 ;;
        --keep) KEEP_DIR=$2; shift 2 ;;
        --no-build) NO_BUILD=1; shift ;;
        --bin) BIN=$2; NO_BUILD=1; shift 2 ;;
        --idle-wait) IDLE_WAIT=$2; shift 2 ;;
        --connect-concurrency) CONNECT_CONCURRENCY=$2; shift 2 ;;
        --no-shows) NO_SHOWS=$2; shift 2 ;;
        --leave) LEAVE=$2; shift 2 ;;
        -h|--help) sed -n '2,20p' "$HERE/run.sh"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 64 ;;
    esac
done

PEOPLE=$((MENTEES + MENTORS))
# Everybody must be connected before the start (the client fails the run otherwise). Measured here with
# 2,000 people since the hub loads a room once (ec483d3): seed 5 s, sign-in 21 s, connect 9 s. Before that
# every upgrade reloaded the room and connecting took 310-390 s (pass --start-in 530 for such a build).
# Default: 30 s + 30 ms a person (2,000 people: 90 s).
if [ -z "$START_IN" ]; then
    START_IN=$(( 30 + PEOPLE * 30 / 1000 ))
fi
if [ -z "$PORT" ]; then
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
fi
if [ -z "${PYTHON:-}" ]; then
    if [ -x "$ROOT/.venv/bin/python" ]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi
"$PYTHON" -c 'import aiohttp' 2>/dev/null || {
    echo "aiohttp missing for $PYTHON: pip install -r Benchmarks/kickoff-load/requirements.txt" >&2; exit 69; }

# Two processes with 2,000+ sockets each (server and client); this machine caps a process at 20,000.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((PEOPLE + 1000)) ]; then
    echo "ulimit -n is $(ulimit -n): too few open files for $PEOPLE sockets" >&2; exit 71
fi

export PATH="/opt/swift/usr/bin:$PATH"
if [ "$NO_BUILD" != 1 ]; then
    echo "== release build (reused when up to date)"
    flock /tmp/build.lock swift build -c release --product mentoring 2>&1 | tail -n 3
fi
BIN=${BIN:-"$ROOT/.build/release/mentoring"}
[ -x "$BIN" ] || { echo "no release binary at $BIN" >&2; exit 66; }

WORK=$(mktemp -d /tmp/kickoff-load.XXXXXX)
SERVER_PID=""
SAMPLER_PID=""
cleanup() {
    [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    if [ -n "$KEEP_DIR" ]; then mkdir -p "$KEEP_DIR" && cp -r "$WORK"/. "$KEEP_DIR"/; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

export SQLITE_PATH="$WORK/load.sqlite"
export BASE_URL="http://127.0.0.1:$PORT"
export MAIL_TRANSPORT=log DEMO=false
export LOG_LEVEL=${LOG_LEVEL:-notice}  # no line per request: 6,000 requests would only measure the logger

# Busy share of all cores over one second, from /proc/stat (0-100).
cpu_busy() {
    local a b
    read -r _ a1 a2 a3 a4 a5 a6 a7 a8 _ < /proc/stat
    sleep 1
    read -r _ b1 b2 b3 b4 b5 b6 b7 b8 _ < /proc/stat
    local idle=$(( (b4 + b5) - (a4 + a5) ))
    local total=$(( (b1+b2+b3+b4+b5+b6+b7+b8) - (a1+a2+a3+a4+a5+a6+a7+a8) ))
    echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}

# Other work on the 2 cores (a build, browser tests) skews the figures: wait a while for a quiet machine.
waited=0
busy=$(cpu_busy)
while [ "$busy" -gt 25 ] && [ "$waited" -lt "$IDLE_WAIT" ]; do
    [ "$waited" -eq 0 ] && echo "== machine busy ($busy% CPU): waiting up to $IDLE_WAIT s for it to settle"
    sleep 4; waited=$((waited + 5)); busy=$(cpu_busy)
done
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== $(date -u +%FT%TZ) $(nproc) cores, load before: $LOADAVG, CPU busy before: $busy%"

echo "== seeding $MENTEES mentees + $MENTORS mentors, $ROUNDS rounds of ${ROUND_SECONDS}s, ${BREAK_SECONDS}s breaks, start in ${START_IN}s"
SEED_START=$(date +%s.%N)
"$BIN" seed-load-event --mentees "$MENTEES" --mentors "$MENTORS" --rounds "$ROUNDS" \
    --round-seconds "$ROUND_SECONDS" --break-seconds "$BREAK_SECONDS" --start-in "$START_IN" \
    --links "$WORK/links.csv" > "$WORK/seed.out" 2> "$WORK/seed.err" || { cat "$WORK/seed.err" >&2; exit 1; }
grep '^{"kickoff"' "$WORK/seed.out" | tail -n 1 > "$WORK/event.json"
SEED_SECONDS=$(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $SEED_START}")
echo "   seeded in ${SEED_SECONDS}s: $(cat "$WORK/event.json")"

echo "== server on port $PORT"
"$BIN" serve --port "$PORT" --no-demo > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 200); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited:" >&2; tail -n 20 "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
done

# Sampler: every 0.25 s the time (ms), the server's VmRSS (kB), its CPU ticks (user+system) and the
# machine's busy and total ticks, from /proc. Cheap: bash builtins and one awk per sample.
TICKS=$(getconf CLK_TCK)
(
    while kill -0 "$SERVER_PID" 2>/dev/null; do
        now=$(date +%s%3N)
        rss=$(awk '/^VmRSS:/{print $2}' "/proc/$SERVER_PID/status" 2>/dev/null) || break
        read -r -a stat < "/proc/$SERVER_PID/stat" || break
        read -r _ c1 c2 c3 c4 c5 c6 c7 c8 _ < /proc/stat
        echo "$now $rss $(( stat[13] + stat[14] )) $(( c1+c2+c3+c6+c7+c8 )) $(( c1+c2+c3+c4+c5+c6+c7+c8 ))"
        sleep 0.25
    done
) > "$WORK/samples.txt" &
SAMPLER_PID=$!

echo "== $PEOPLE clients: sign in, connect, follow the event"
set +e
"$PYTHON" "$HERE/load_client.py" --links "$WORK/links.csv" --event "$WORK/event.json" --out "$WORK/client.json" \
    --connect-concurrency "$CONNECT_CONCURRENCY" --no-shows "$NO_SHOWS" --leave "$LEAVE"
CLIENT_STATUS=$?
set -e

HWM=$(awk '/^VmHWM:/{print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0)
kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
kill -TERM "$SERVER_PID"
for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$SERVER_PID" 2>/dev/null; then echo "server did not stop on SIGTERM within 10 s" >&2; fi
SERVER_STATUS=0; wait "$SERVER_PID" 2>/dev/null || SERVER_STATUS=$?
SERVER_PID=""

# The hub logs each automatic re-plan (notice level): when, from which round, how long it took.
REPLANS=$({ grep -E "re-planned|Re-plan dropped" "$WORK/server.log" || true; } | "$PYTHON" -c 'import json,sys; print(json.dumps([l.strip()[:300] for l in sys.stdin]))')
cat > "$WORK/meta.json" <<EOF
{"date": "$(date -u +%FT%TZ)", "cores": $(nproc), "loadavgBefore": "$LOADAVG", "cpuBusyBeforePercent": $busy,
 "mentees": $MENTEES, "mentors": $MENTORS, "startIn": $START_IN, "connectConcurrency": $CONNECT_CONCURRENCY, "seedSeconds": $SEED_SECONDS,
 "serverPeakRssKb": ${HWM:-0}, "clockTicksPerSecond": $TICKS, "serverExitStatus": $SERVER_STATUS,
 "clientExitStatus": $CLIENT_STATUS, "replans": $REPLANS,
 "command": "Benchmarks/kickoff-load/run.sh --mentees $MENTEES --mentors $MENTORS --rounds $ROUNDS --round-seconds $ROUND_SECONDS --break-seconds $BREAK_SECONDS --connect-concurrency $CONNECT_CONCURRENCY --no-shows $NO_SHOWS --leave $LEAVE"}
EOF
echo "== report"
if [ -f "$WORK/client.json" ]; then
    "$PYTHON" "$HERE/report.py" --client "$WORK/client.json" --samples "$WORK/samples.txt" --meta "$WORK/meta.json" \
        ${REPORT_JSON:+--out "$REPORT_JSON"}
else
    echo "the client wrote no result (status $CLIENT_STATUS); server log tail:" >&2
    tail -n 20 "$WORK/server.log" >&2
fi
grep -E "error|critical|warning" "$WORK/server.log" | head -n 5 || true
exit "$CLIENT_STATUS"
