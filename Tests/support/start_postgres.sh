#!/usr/bin/env bash
# Installs (if needed) and starts a local PostgreSQL 15 server, and creates the test role and database.
# Prints the DATABASE_URL to use on its last line. Idempotent; no systemd needed.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  printf '#clear DPkg::Post-Invoke;\n' > /tmp/apt-noclean.conf
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get -c /tmp/apt-noclean.conf install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q" && break
  sleep 1
done
# The app tests run in parallel, each app with its own small pool: allow more than the default 100 clients.
if [ "$(su postgres -c "psql -qtAc 'SHOW max_connections'")" -lt 400 ]; then
  su postgres -c "psql -qc 'ALTER SYSTEM SET max_connections = 400'" >&2
  pg_ctlcluster "$version" main restart >&2
  for _ in $(seq 1 30); do su postgres -c "pg_isready -q" && break; sleep 1; done
fi
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='mentoring'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE mentoring LOGIN PASSWORD 'mentoring'\"" >&2
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='mentoring_test'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE DATABASE mentoring_test OWNER mentoring\"" >&2
echo "postgres://mentoring:mentoring@127.0.0.1:5432/mentoring_test?tlsmode=disable"
