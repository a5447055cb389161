#!/usr/bin/env bash
# System packages the tests use: Debian's Chromium for the web chat test. Installed only when
# missing and when we can (root with apt-get); otherwise the browser test says why it skips.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing chromium (Debian package) for the browser test"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
else
  echo "system-deps: chromium is missing; install it ('apt-get install chromium') to run the browser test" >&2
fi
