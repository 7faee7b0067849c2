#!/usr/bin/env bash
# Makes sure the PostgreSQL the sandbox's store tests use is up (127.0.0.1:5432, database `test`).
# On this project's machines PostgreSQL is installed from Debian's packages; start it if it stopped.
set -euo pipefail
url="${BULLSEYE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
ready() { pg_isready -q -d "$url" 2>/dev/null; }
if ready; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
  done
  for _ in $(seq 1 30); do
    if ready; then exit 0; fi
    sleep 1
  done
fi
echo "PostgreSQL is not reachable at $url: start it (or set BULLSEYE_TEST_DATABASE_URL) and run the tests again." >&2
exit 1
