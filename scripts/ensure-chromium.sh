#!/usr/bin/env bash
# Best effort: make Chromium available for the headless check of the HTML report
# (`coopstats check-report`, tests/test_report_browser.py). Installs Debian's `chromium`
# (about 12 s from a package mirror) when running as root with apt-get. Never fails the build:
# without Chromium the browser check is skipped locally; under CI=true the test fails instead.
set -u
for name in chromium chromium-browser google-chrome; do
  command -v "$name" >/dev/null 2>&1 && exit 0
done
[ -n "${COOPSTATS_CHROMIUM:-}" ] && [ -x "$COOPSTATS_CHROMIUM" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the headless report check (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1; then
    timeout 300 apt-get update -q >/dev/null 2>&1 || true
    apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1 \
      || echo "note: could not install chromium; the browser check of the report is skipped"
  fi
else
  echo "note: no Chromium found; the browser check of the report is skipped" \
       "(install your distribution's chromium package or set COOPSTATS_CHROMIUM)"
fi
exit 0
