#!/usr/bin/env bash
# The Prometheus configuration and alert rules as Prometheus reads them: the config with
# the rule files it names, the rules' syntax, every alert's unit tests (alerts.test.yml,
# and alerts.call-quality.test.yml for the rules that need a day of history: firing and
# not firing), and that no alert lacks either case. Part of `npm test`
# (Nx project `infra`); `.ci/run` installs promtool (Debian package prometheus) when it
# is missing.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v promtool >/dev/null 2>&1; then
  echo "promtool is not installed: install it (Debian: apt-get install -y prometheus) to check the alert rules" >&2
  exit 1
fi
promtool check config prometheus.yml
promtool check rules alerts.yml
promtool test rules alerts.test.yml alerts.call-quality.test.yml
node check-alert-tests.mjs
