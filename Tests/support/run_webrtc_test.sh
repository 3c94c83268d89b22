#!/usr/bin/env bash
# Runs Tests/browser/test_kickoff_webrtc.py (two headless Chromiums in a WebRTC call) inside a loopback-only
# network namespace: there, with --allow-loopback-in-peer-connection, Chromium gathers loopback ICE candidates
# and the partners connect (see /work/shared/TOOLING.md). Everything - SMTP server, app, chromedriver,
# browsers - runs inside the namespace; nothing reaches any other network.
# Uses the built app (MENTORING_BIN, default .build/debug/mentoring; nothing is built here). Installs the
# browser tooling first (Tests/support/install_browser.sh) if something is missing. Needs root (or
# unprivileged user namespaces). Extra arguments go to pytest; exits with pytest's exit code.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! [ -x .venv/bin/pytest ] \
   || ! .venv/bin/python -c 'import selenium, aiosmtpd' 2>/dev/null; then
    bash Tests/support/install_browser.sh
fi
export MENTORING_BIN="${MENTORING_BIN:-.build/debug/mentoring}"
if [ ! -x "$MENTORING_BIN" ]; then
    echo "run_webrtc_test.sh: no app binary at $MENTORING_BIN (run \`swift build\` or set MENTORING_BIN)" >&2
    exit 1
fi

unshare_options=(--net)
[ "$(id -u)" = 0 ] || unshare_options+=(--map-root-user)
status=0
MENTORING_WEBRTC_NETNS=1 unshare "${unshare_options[@]}" bash -c 'ip link set lo up && exec "$@"' bash \
    .venv/bin/pytest Tests/browser/test_kickoff_webrtc.py -rP "$@" || status=$?
exit "$status"
