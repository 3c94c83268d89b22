#!/usr/bin/env bash
# Runs the SMTPTests target against a real SMTP server (Tests/support/smtp_server.py, aiosmtpd) on 127.0.0.1:
# STARTTLS + AUTH PLAIN/LOGIN on one port, implicit TLS on another, a fresh self-signed certificate.
# Assumes the tests are built (`swift build --build-tests`); extra arguments go to `swift test`,
# e.g. `Tests/support/run_smtp_tests.sh --disable-xctest`.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v openssl >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null
fi
bash Tests/support/setup_venv.sh >/dev/null

work=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

.venv/bin/python Tests/support/smtp_server.py --port 0 --tls-port 0 --maildir "$work/mail" \
    --user mailer --password 'pässwörd secret' --cert-out "$work/cert.pem" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
    grep -q '^READY-TLS ' "$work/server.log" && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
done
if ! grep -q '^READY-TLS ' "$work/server.log"; then
    echo "SMTP test server did not start:" >&2
    cat "$work/server.log" >&2
    exit 1
fi
echo "SMTP test server: $(grep '^READY' "$work/server.log" | tr '\n' ' ')"

status=0
SMTP_TEST_HOST=127.0.0.1 \
SMTP_TEST_PORT=$(awk '/^READY /{print $2}' "$work/server.log") \
SMTP_TEST_TLS_PORT=$(awk '/^READY-TLS /{print $2}' "$work/server.log") \
SMTP_TEST_MAILDIR="$work/mail" \
SMTP_TEST_USER=mailer \
SMTP_TEST_PASSWORD='pässwörd secret' \
SMTP_TEST_CA_FILE="$work/cert.pem" \
    swift test --skip-build --filter SMTPTests "$@" || status=$?
exit "$status"
