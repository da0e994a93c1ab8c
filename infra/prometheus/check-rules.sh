#!/usr/bin/env bash
# The alert rules as Prometheus reads them: syntax, and every alert's unit tests
# (alerts.test.yml: firing and not firing). Part of `npm test`; `.ci/run` installs
# promtool (Debian package prometheus) when it is missing.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v promtool >/dev/null 2>&1; then
  echo "promtool is not installed: install it (Debian: apt-get install -y prometheus) to check the alert rules" >&2
  exit 1
fi
promtool check rules alerts.yml
promtool test rules alerts.test.yml
