#!/usr/bin/env bash
# The Python test helpers (aiosmtpd, Selenium, axe, icalendar, …) in .venv from PyPI. Idempotent.
# Run first in CI so `swift test` can use real peers from the venv (e.g. the iCalendar parser).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check -r Tests/support/requirements.txt
echo "Python helpers ready: $(.venv/bin/python --version), icalendar $(.venv/bin/python -c 'import icalendar; print(icalendar.__version__)')"
